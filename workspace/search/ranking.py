"""Ranking a page without a Whoosh collector: every entry's score computed with numpy as
Whoosh's matchers compute it, then the page taken with `np.partition`.

Whoosh's scored search visits every match in Python through a tree of matchers, even for a
top 10: three quarters of a query's time at 100,000 entries. Here each node of the parsed
query gives an array of scores (zero where the node does not match), following the
matcher Whoosh builds for it (whoosh3 3.54.0):

- a term: BM25F with Whoosh's formula, parameters and statistics (`idf`, average field
  length), over its postings and the field lengths column;
- a prefix: the sum of the words it expands to, each a term with the prefix's boost, or
  1.0 in a segment where Whoosh ORs them without scores (see `_prefix`);
- a phrase: the sum of its words' term scores, only where Whoosh's phrase matcher (word
  positions) finds the phrase — a phrase's words elsewhere in the entry count nothing;
- And, Or: the sum of their parts (an intersection or a union matcher), times the boost;
- Not: 1.0 where it matches (Whoosh's InverseMatcher);
- AndNot, Require: the left part's score where the whole matches; AndMaybe: the left part
  plus the right part where both match.

Any other node is scored by Whoosh itself (`Searcher.search`), slowly but exactly.
tests/search/test_differential.py compares the whole with Whoosh's searcher on generated
indexes and queries.
"""
from __future__ import annotations

import numpy as np
from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    Not,
    NullQuery,
    Or,
    Phrase,
    Prefix,
    Query,
    Require,
    Term,
)

from workspace.search.docsets import DocSets

BM25_B, BM25_K1 = 0.75, 1.2  # Whoosh's BM25F defaults (the index's weighting)


def rank(sets: DocSets, query: Query, among: int, count: int,
         by_date: bool = False) -> list[int]:
    """The first `count` entries of the set `among`, by relevance (descending score) or by
    date (newest first); ties by entry number, as Whoosh's collectors order them, so that
    pages follow each other."""
    candidates = np.flatnonzero(sets.mask(among))
    if by_date:
        # newest first: the complement of the unsigned sortable value (no overflow)
        keys = ~sets.column("keys", "date")[candidates]
    else:
        keys = -scores(sets, query)[candidates]
    if len(candidates) > count:
        # the count-th best key, then everything at least as good (ties included)
        threshold = np.partition(keys, count - 1)[count - 1]
        chosen = keys <= threshold
        candidates, keys = candidates[chosen], keys[chosen]
    order = np.lexsort((candidates, keys))[:count]
    return candidates[order].tolist()


def scores(sets: DocSets, query: Query) -> np.ndarray:
    """Every entry's score for the query (zero where it does not match)."""
    found = _score(sets, query)
    return found if found is not None else np.zeros(sets.size, dtype=np.float64)


def _score(sets: DocSets, query: Query) -> np.ndarray | None:
    """The node's scores, zero outside its matches; None when it adds nothing."""
    if query is NullQuery:
        return None
    kind = type(query)
    if kind is Term:
        return _terms(sets, query.fieldname, [query.text], query.boost)
    if kind is Prefix:
        return _prefix(sets, query)
    if kind is Phrase:
        return _within(sets, query, _terms(sets, query.fieldname, query.words, 1.0),
                       query.boost)
    if kind is And:
        return _within(sets, query, _sum(_score(sets, sub) for sub in query.subqueries),
                       query.boost)
    if kind is Or and not query.scale and query.minmatch in (0, 1):
        return _boosted(_sum(_score(sets, sub) for sub in query.subqueries), query.boost)
    if kind is Not:
        return _within(sets, query, np.ones(sets.size, dtype=np.float64), 1.0)
    if kind in (AndNot, Require):
        return _within(sets, query, _score(sets, query.a), 1.0)
    if kind is AndMaybe:
        return _within(sets, query, _sum([_score(sets, query.a), _score(sets, query.b)]), 1.0)
    return _by_whoosh(sets, query)


def _terms(sets: DocSets, field_name: str, texts, boost: float) -> np.ndarray | None:
    """The sum of these terms' BM25F scores (whoosh.scoring.BM25F), each times `boost`."""
    searcher = sets.searcher
    field = searcher.schema[field_name]
    average = searcher.avg_field_length(field_name) or 1
    found = None
    for text in texts:
        if isinstance(text, str):
            text = field.to_bytes(text)
        ids, weights = sets.kept_postings(field_name, text)
        if not len(ids):
            continue
        if found is None:
            found = np.zeros(sets.size, dtype=np.float64)
        lengths = sets.column("lengths", field_name)[ids]
        idf = searcher.idf(field_name, text)
        found[ids] += boost * idf * (weights * (BM25_K1 + 1)) / (
            weights + BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / average))
    return found


# whoosh.query.Or: up to this many words, and in a segment of more than this many entries,
# the words of a prefix are ORed by a scoring union; otherwise by an unscored array union
TOO_MANY_CLAUSES, SMALL_SEGMENT = 1024, 5000


def _prefix(sets: DocSets, query: Prefix) -> np.ndarray | None:
    """A prefix as whoosh3 scores it, segment by segment (its matcher is built per
    segment, from that segment's words): one word, a term with the prefix's boost; two
    words, or fewer than TOO_MANY_CLAUSES in a segment of more than SMALL_SEGMENT entries,
    the sum of the words' scores; otherwise 1.0, boost or not (an unscored union)."""
    found = _terms(sets, query.fieldname, sets.expansions(query), query.boost)
    if found is None:
        return None
    constant = None
    for segment, offset in sets.segments():
        words = sum(1 for _field, text in query.expanded_terms(segment.reader()) if text)
        size = segment.doc_count_all()
        if words > 2 and (words >= TOO_MANY_CLAUSES or size <= SMALL_SEGMENT):
            if constant is None:
                constant = sets.mask(sets.matching(query))
            found[offset:offset + size] = constant[offset:offset + size]
    return found


def _sum(parts) -> np.ndarray | None:
    total = None
    for part in parts:
        if part is not None:
            total = part.copy() if total is None else total + part
    return total


def _boosted(found: np.ndarray | None, boost: float) -> np.ndarray | None:
    return found * boost if found is not None and boost != 1.0 else found


def _within(sets: DocSets, query: Query, found: np.ndarray | None,
            boost: float) -> np.ndarray | None:
    """The scores kept only where the node matches, times its boost."""
    matches = sets.matching(query)
    if found is None or not matches:
        return None
    return _boosted(np.where(sets.mask(matches), found, 0.0), boost)


def _by_whoosh(sets: DocSets, query: Query) -> np.ndarray:
    """A node this module does not model, scored by Whoosh's own search."""
    found = np.zeros(sets.size, dtype=np.float64)
    for hit in sets.searcher.search(query, limit=None):
        found[hit.docnum] = hit.score
    return found
