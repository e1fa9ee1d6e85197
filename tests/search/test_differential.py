"""The page's matches, counts and order are Whoosh's own: hundreds of generated queries
(words, prefixes, phrases, AND/OR/NOT/ANDNOT/ANDMAYBE, boosts, groups) with generated
filters and sorts, on generated indexes of several segments with updates and deletions
(the project's schema and French analysis), compared with Whoosh's searcher: same hits,
same order, same facet counts, scores within 1e-6.

The default budget keeps the test short; SEARCH_DIFF_EXAMPLES=500 (say) runs more."""
from __future__ import annotations

import os
import tempfile
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index
from whoosh.query import And, DateRange, Or, Term
from whoosh.sorting import FieldFacet

from workspace.search import ranking
from workspace.search.docsets import DocSets
from workspace.search.indexer import COMPOUND, make_schema
from workspace.search.parsing import QueryRefused, parse
from workspace.search.query import FACETS, Filters, find

EXAMPLES = int(os.environ.get("SEARCH_DIFF_EXAMPLES", "40"))
TOLERANCE = 1e-6

# Words whose stems meet ("chaudière"/"chaudières"), stop words (skipped by phrases),
# accents written or not.
WORDS = ["chaudière", "chaudières", "chaudiere", "chauffage", "chauffe", "gymnase",
         "école", "écoles", "toiture", "toit", "isolation", "isolant", "énergie",
         "énergétique", "bâtiment", "batiments", "mairie", "réseau", "sauvegarde",
         "sauvetage", "numéro", "le", "la", "de", "des", "et", "à"]
SEARCHED = [word for word in WORDS if word not in {"le", "la", "de", "des", "et", "à"}] \
    + ["de", "introuvable"]
KINDS, COMMUNES, AUTHORS = ["post", "document", "meeting"], ["Coulaines", "Allonnes"], \
    ["Aline Martin", "Paul Durand", "Zoé"]
DATES = [datetime(2024, month, day, 9) for month, day in ((1, 5), (1, 5), (3, 1), (6, 30),
                                                          (6, 30), (12, 31))]
NETWORKS = [1, 2, 3, 4]

document = st.fixed_dictionaries({
    "kind": st.sampled_from(KINDS), "network_id": st.sampled_from(NETWORKS),
    "title": st.lists(st.sampled_from(WORDS), min_size=0, max_size=4).map(" ".join),
    "text": st.lists(st.sampled_from(WORDS), min_size=0, max_size=30).map(" ".join),
    "date": st.sampled_from(DATES), "author": st.sampled_from(AUTHORS),
    "commune": st.sampled_from(COMMUNES)})

# one commit: new documents, then updates and deletions of earlier keys (by number)
commit = st.tuples(st.lists(document, min_size=1, max_size=40),
                   st.lists(st.tuples(st.integers(0, 200), document), max_size=4),
                   st.lists(st.integers(0, 200), max_size=6))


def _word():
    return st.sampled_from(SEARCHED)


def _phrase():
    return st.lists(st.sampled_from(WORDS), min_size=2, max_size=3).map(
        lambda words: '"' + " ".join(words) + '"')


def _prefix():
    return st.sampled_from([word for word in SEARCHED if len(word) >= 4]).flatmap(
        lambda word: st.integers(3, len(word)).map(lambda size: word[:size] + "*"))


def _leaf():
    plain = st.one_of(_word(), _word(), _phrase(), _prefix())
    return st.one_of(plain, plain.map(lambda text: text + "^2"))


def _compound(parts):
    return st.one_of(
        st.lists(parts, min_size=2, max_size=3).map(" ".join),
        st.tuples(parts, st.sampled_from(["OR", "AND", "ANDNOT", "ANDMAYBE"]), parts).map(
            " ".join),
        parts.map(lambda text: "NOT " + text),
        parts.map(lambda text: f"({text})"),
        parts.map(lambda text: f"({text})^3"))


queries = st.recursive(_leaf(), _compound, max_leaves=6)

filters = st.builds(
    Filters, kind=st.none() | st.sampled_from(KINDS),
    network_id=st.none() | st.sampled_from(NETWORKS),
    commune=st.none() | st.sampled_from(COMMUNES), author=st.none() | st.sampled_from(AUTHORS),
    date_from=st.none() | st.sampled_from(DATES), date_to=st.none() | st.sampled_from(DATES))

searches = st.tuples(queries, st.none() | st.sets(st.sampled_from(NETWORKS), min_size=1),
                     filters, st.sampled_from(["relevance", "date"]))


def _build(path: str, commits) -> index.Index:
    """An index written as the worker writes it: one commit per batch, no merge."""
    ix = index.create_in(path, make_schema())
    number = 0
    for added, updated, deleted in commits:
        writer = ix.writer(compound=COMPOUND)
        for fields in added:
            writer.add_document(**_fields(number, fields))
            number += 1
        for target, fields in updated:
            if target < number:
                writer.update_document(**_fields(target, fields))
        for target in deleted:
            writer.delete_by_term("key", f"post:{target}")
        writer.commit(merge=False)
    return ix


def _fields(number: int, fields: dict) -> dict:
    return {**fields, "key": f"post:{number}", "object_id": number,
            "network_id": str(fields["network_id"])}


def _whoosh_filter(networks, filters: Filters):
    parts = []
    if networks is not None:
        parts.append(Or([Term("network_id", str(n)) for n in sorted(networks)]))
    return parts, [Term(name, value) for name, value in (
        ("kind", filters.kind), ("commune", filters.commune), ("author", filters.author),
        ("network_id", None if filters.network_id is None else str(filters.network_id)))
        if value is not None] + ([DateRange("date", filters.date_from, filters.date_to,
                                            endexcl=True)]
                                 if filters.date_from or filters.date_to else [])


def _as_filter(parts):
    return And(parts) if len(parts) > 1 else (parts[0] if parts else None)


def _check(the_searcher, text: str, networks, filters: Filters, sort: str) -> None:
    try:
        query = parse(text, the_searcher.schema)
    except QueryRefused:
        return
    found = find(the_searcher, query, networks, filters, sort=sort, count=1_000)
    visible, narrowing = _whoosh_filter(networks, filters)
    # matches and facet counts (before narrowing)
    expected = the_searcher.search(query, filter=_as_filter(visible), limit=None,
                                   groupedby=[FieldFacet(name) for name in FACETS])
    assert _docnums(found.matches) == set(expected.docs()), \
        (text, repr(query), _docnums(found.matches), set(expected.docs()))
    for name in FACETS:
        counts = {value: len(docs) for value, docs in expected.groups(name).items()
                  if value}
        assert found.facets.get(name, {}) == counts, (text, name)
    # the narrowed set in Whoosh's order
    scored = the_searcher.search(query, filter=_as_filter(visible + narrowing), limit=None)
    assert _docnums(found.narrowed) == set(scored.docs()), \
        (text, repr(query), _docnums(found.narrowed), set(scored.docs()))
    if sort == "date":
        by_date = the_searcher.search(query, filter=_as_filter(visible + narrowing),
                                      limit=None, sortedby=FieldFacet("date", reverse=True))
        assert found.page == [hit.docnum for hit in by_date], \
            (text, found.page, [hit.docnum for hit in by_date])
        return
    whoosh_scores = {hit.docnum: hit.score for hit in scored}
    ours = ranking.scores(DocSets.of(the_searcher), query)
    for docnum, score in whoosh_scores.items():
        assert abs(ours[docnum] - score) <= TOLERANCE, (text, docnum, ours[docnum], score)
    in_order = [hit.docnum for hit in scored]
    assert len(found.page) == len(in_order), text
    for mine, theirs in zip(found.page, in_order, strict=True):
        # the same entry, or two whose scores are equal to the last bits (sums in
        # another order): their order is then a matter of rounding
        assert mine == theirs or abs(whoosh_scores[mine] - whoosh_scores[theirs]) <= 1e-9, \
            (text, found.page, in_order)


def _docnums(bits: int) -> set[int]:
    return {n for n in range(bits.bit_length()) if bits >> n & 1}


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(commits=st.lists(commit, min_size=2, max_size=5),
       searches=st.lists(searches, min_size=1, max_size=8))
def test_page_counts_and_order_equal_whooshs_searcher(commits, searches):
    with tempfile.TemporaryDirectory() as path:
        ix = _build(path, commits)
        with ix.searcher() as the_searcher:
            for text, networks, filters, sort in searches:
                _check(the_searcher, text, networks, filters, sort)


def test_phrase_scores_only_where_the_phrase_is():
    """A phrase's words elsewhere in an entry (in the title, not as a phrase) add nothing:
    the defect that made 8 of 21 scores differ from Whoosh's on a 160-entry index."""
    with tempfile.TemporaryDirectory() as path:
        ix = _build(path, [([
            {"kind": "post", "network_id": 1, "title": "école chaudière", "date": DATES[0],
             "text": "la chaudière de l'école", "author": "Zoé", "commune": "Allonnes"},
            {"kind": "post", "network_id": 1, "title": "chaudière", "date": DATES[0],
             "text": "école chaudière", "author": "Zoé", "commune": "Allonnes"}], [], [])])
        with ix.searcher() as the_searcher:
            query = parse('"chaudière école"', the_searcher.schema)
            expected = {hit.docnum: hit.score
                        for hit in the_searcher.search(query, limit=None)}
            ours = ranking.scores(DocSets.of(the_searcher), query)
            assert set(expected) == {0}
            assert ours[0] == pytest.approx(expected[0], abs=TOLERANCE)
            assert ours[1] == 0.0
