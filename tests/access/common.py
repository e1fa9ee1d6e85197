"""Roles and expectation helpers of the route-walk test."""
from __future__ import annotations

ROLES = ("anonymous", "member", "outsider", "coordinator", "admin")
LOGIN = 302  # anonymous visitors are sent to the sign-in page


def expect(anonymous=LOGIN, member=200, outsider=200, coordinator=200, admin=200):
    return dict(zip(ROLES, (anonymous, member, outsider, coordinator, admin), strict=True))


def signed_in(status):  # same answer for every signed-in role
    return expect(member=status, outsider=status, coordinator=status, admin=status)


def admin_only(admin=200):
    return expect(member=403, outsider=403, coordinator=403, admin=admin)


def in_network(member, coordinator, admin=None):
    """A page of the private network: outsiders never learn that it exists."""
    return expect(member=member, outsider=404, coordinator=coordinator,
                  admin=coordinator if admin is None else admin)
