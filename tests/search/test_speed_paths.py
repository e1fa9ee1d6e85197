"""The fast paths of the query side give exactly what Whoosh's own matchers give: the
postings read block by block (whoosh3 internals, hence this test when upgrading), with
deletions and several segments, and the set operations on parsed queries."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from whoosh.filedb.filestore import RamStorage
from whoosh.sorting import FieldFacet

from tests.search.conftest import index_now, post
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.search import ranking
from workspace.search.query import DocSets, parse, searcher
from workspace.search.ranking import rank


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


def _several_segments(world):
    """Twelve posts indexed one by one (a segment each), four of them deleted."""
    created = [post(world, f"Chaudière numéro {n} du gymnase, " + "sauvegarde " * (n % 4 + 1)
                    + "sauvetage" * (n % 2),
                    title=f"Sujet {n} chaudière" if n % 3 == 0 else f"Sujet {n}")
               for n in range(12)]
    index_now()
    for gone in created[:4]:
        forums.delete_post(world.member, gone)
    db.session.commit()
    index_now()
    return searcher()


def test_ranking_equals_whooshs_scored_search(world):
    """The page's order is Whoosh's own BM25F order (ties by entry number), by relevance
    and by date, for words, several words, alternatives and negations."""
    the_searcher = _several_segments(world)
    sets = DocSets.of(the_searcher)
    for text in ("chaudiere", "sauvegarde", "chaudiere sauvegarde", "sujet OR sauvegarde",
                 "gymnase -sauvegarde", "numero", "sauveg*", "sauv*", "chaud* numero"):
        query = parse(text, the_searcher.schema)
        found = sets.matching(query)
        expected = the_searcher.search(query, limit=None)
        ranked = rank(sets, query, found, 100)
        scores = {hit.docnum: hit.score for hit in expected}
        assert set(ranked) == set(scores), text
        ours = ranking.scores(sets, query)
        for docnum in ranked:
            assert ours[docnum] == pytest.approx(scores[docnum], rel=1e-5), text
        assert [scores[n] for n in ranked] == sorted(scores.values(), reverse=True), text
        by_date = the_searcher.search(query, limit=None,
                                      sortedby=FieldFacet("date", reverse=True))
        assert rank(sets, query, found, 100, by_date=True) == [hit.docnum for hit in by_date]
        assert rank(sets, query, found, 3) == ranked[:3]


def test_sorting_by_date_follows_the_dates_from_the_first_year_to_the_last():
    """Whoosh stores a date as an unsigned sortable number (its signed value + 2**63); the
    ranking reads it as unsigned and orders the page as Whoosh does, whatever the dates."""
    from workspace.search.indexer import make_schema
    from workspace.search.query import parse as parse_query

    index = RamStorage().create_index(make_schema())
    writer = index.writer()
    years = [1965, 2024, 1, 1971, 9999]
    for number, year in enumerate(years):
        writer.add_document(key=f"post:{number}", kind="post", object_id=number,
                            network_id="1", title="Compte rendu", text="chaudière",
                            date=datetime(year, 6, 1, tzinfo=UTC).replace(tzinfo=None),
                            author="a", commune="c")
    writer.commit()
    with index.searcher() as the_searcher:
        sets = DocSets(the_searcher)
        query = parse_query("chaudiere", the_searcher.schema)
        ranked = rank(sets, query, sets.matching(query), 10, by_date=True)
        assert [years[n] for n in ranked] == [9999, 2024, 1971, 1965, 1]
        by_whoosh = the_searcher.search(query, limit=None,
                                        sortedby=FieldFacet("date", reverse=True))
        assert ranked == [hit.docnum for hit in by_whoosh]
