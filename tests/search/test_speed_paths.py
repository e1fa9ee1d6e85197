"""The fast paths of the query side give exactly what Whoosh's own matchers give: the
postings read block by block (whoosh3 internals, hence this test when upgrading), with
deletions and several segments, and the set operations on parsed queries."""
from __future__ import annotations

from tests.search.conftest import index_now, post
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.search.query import DocSets, parse, searcher


def _slow(the_searcher, query) -> set[int]:
    return set(the_searcher.docs_for_query(query))


def _set(bits: int) -> set[int]:
    return {n for n in range(bits.bit_length()) if bits >> n & 1}


def test_set_operations_equal_whooshs_matchers(world):
    created = [post(world, f"Chaudière numéro {n} du gymnase, sauvegarde {n % 3}.",
                    title=f"Sujet {n}") for n in range(12)]
    index_now()  # one segment per post: several segments
    for gone in created[:4]:
        forums.delete_post(world.member, gone)
    db.session.commit()
    index_now()  # deletions in older segments
    the_searcher = searcher()
    sets = DocSets.of(the_searcher)
    for text in ("chaudiere", "chaudiere gymnase", "sauvegarde OR numero", "gymn*",
                 '"numéro 5"', "chaudiere -sauvegarde", "introuvable", "sauvegarde 2"):
        query = parse(text, the_searcher.schema)
        assert _set(sets.matching(query)) == _slow(the_searcher, query), text
    assert len(_set(sets.matching(parse("chaudiere", the_searcher.schema)))) == 8


def test_opening_the_index_retries_when_a_commit_replaces_it(world, monkeypatch):
    """A search that opens the index while a worker commits tries again, instead of failing
    the page (the race seen under load in tests/concurrency/test_search_writes.py)."""
    from workspace.search import query

    post(world, "Chaudière du gymnase.")
    index_now()
    real_open, calls = query.open_index, []

    def flaky_open():
        calls.append(1)
        if len(calls) == 1:
            raise FileNotFoundError("MAIN_abc.toc")
        return real_open()

    monkeypatch.setattr(query, "open_index", flaky_open)
    assert query._open_searcher().doc_count() == 1
    assert len(calls) == 2
