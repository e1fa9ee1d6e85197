"""Access expectations that features add to the route-walk test (tests/test_access_matrix.py).

Each module of FEATURES defines `EXPECTED` (endpoint, method) -> {role: status} and
`build(users, private, values)`, which creates the feature's objects in the private network
(after the common world is built) and returns the URL values its routes need.
"""
