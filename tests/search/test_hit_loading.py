"""The page's hits are read from the database by kind, with their relations, not one by
one: the statements of a search do not grow with the number of hits shown (found by the
load test, bench/capacity.py: 3 statements per hit before)."""
from __future__ import annotations

from tests.forums.helpers import count_statements
from tests.search.conftest import index_now, post
from workspace.extensions import db
from workspace.search.query import search


def _statements_of(action) -> tuple[int, object]:
    db.session.expire_all()
    with count_statements() as seen:
        result = action()
    return len(seen), result


def test_statements_do_not_grow_with_the_hits_shown(world):
    for number in range(2):
        post(world, f"Chaudière à condensation numéro {number}.", title=f"Chaufferie {number}")
    for number in range(10):
        post(world, f"Ventilation double flux numéro {number}.", title=f"VMC {number}",
             author=world.coordinator if number % 2 else world.member)
    index_now()
    search(world.member, "chaudiere")  # searchers, caches: warm
    few, found_few = _statements_of(lambda: search(world.member, "chaudiere"))
    many, found_many = _statements_of(lambda: search(world.member, "ventilation"))
    assert (len(found_few.hits), len(found_many.hits)) == (2, 10)
    assert many <= few, (few, many)
    assert [hit.doc.title for hit in found_many.hits] == [
        hit.doc.title for hit in search(world.member, "ventilation").hits]
