"""Sets of index entries as Python integers (bit n set = entry n) and the postings and
columns behind them as numpy arrays, kept per searcher (until the index changes).

A query's matches are read once as a set; its counts per facet, the network filter and the
narrowing filters are then intersections and bit counts done in C, instead of a Python
step per match and per facet. Terms, their unions and intersections and prefixes are set
operations on the terms' postings; phrases, negations and the rest go through Whoosh's own
matchers (public API). The raw readings are in whoosh_adapter.py.
"""
from __future__ import annotations

import weakref

import numpy as np
from whoosh.query import And, Or, Phrase, Prefix, Query, Term

from workspace.search import whoosh_adapter

_KEPT: weakref.WeakKeyDictionary[object, DocSets] = weakref.WeakKeyDictionary()


class DocSets:
    """The sets and arrays of one searcher. Deleted entries may be in the kept sets of
    values; they are never in a query's matches, so they never reach a count."""

    MAX_KEPT_POSTINGS = 2_000_000  # postings of query terms kept per searcher (~32 MB)

    def __init__(self, the_searcher):
        self.searcher = the_searcher
        self.size = the_searcher.doc_count_all()
        self._values: dict[str, dict[str, int]] = {}
        self._terms: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}  # postings
        self._sets: dict[tuple, int] = {}  # entries of terms, prefixes and phrases
        self._kept_postings = 0
        self._columns: dict[tuple[str, str], np.ndarray] = {}
        self._deleted = [whoosh_adapter.deleted(segment.reader())
                         for segment, _ in self.segments()]

    @classmethod
    def of(cls, the_searcher) -> DocSets:
        """The searcher's DocSets, built on first use and dropped with the searcher."""
        kept = _KEPT.get(the_searcher)
        if kept is None:
            kept = _KEPT[the_searcher] = cls(the_searcher)
        return kept

    def segments(self):
        return whoosh_adapter.segments(self.searcher)

    # --- sets and arrays -----------------------------------------------------------------

    def bits(self, docnums: np.ndarray) -> int:
        """One set from an array of document numbers."""
        mask = np.zeros(self.size, dtype=bool)
        mask[docnums] = True
        return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")

    def mask(self, bits: int) -> np.ndarray:
        """The set as a boolean array, one item per entry."""
        raw = np.frombuffer(bits.to_bytes((self.size >> 3) + 1, "little"), dtype=np.uint8)
        return np.unpackbits(raw, bitorder="little")[:self.size].view(bool)

    def postings(self, field_name: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        """A term's global document numbers and weights, deleted entries included."""
        ids, weights = [], []
        for segment, offset in self.segments():
            found_ids, found_weights = whoosh_adapter.segment_postings(
                segment.reader(), field_name, text)
            ids.append(found_ids + offset)
            weights.append(found_weights)
        if len(ids) == 1:
            return ids[0], weights[0]
        return np.concatenate(ids), np.concatenate(weights)

    def kept_postings(self, field_name: str, text) -> tuple[np.ndarray, np.ndarray]:
        """A term's postings (deleted entries included), kept per searcher within a budget."""
        if isinstance(text, str):
            text = self.searcher.schema[field_name].to_bytes(text)
        key = (field_name, text)
        found = self._terms.get(key)
        if found is None:
            found = self.postings(field_name, text)
            if self._kept_postings + len(found[0]) > self.MAX_KEPT_POSTINGS \
                    or len(self._sets) > 5_000:
                self.forget_terms()
            self._terms[key] = found
            self._kept_postings += len(found[0])
        return found

    def forget_terms(self) -> None:
        """Drop the kept postings and sets of terms (benchmarks measure queries cold)."""
        self._terms.clear()
        self._sets.clear()
        self._kept_postings = 0

    def column(self, kind: str, field_name: str) -> np.ndarray:
        """Per-entry arrays kept per searcher: field lengths ("lengths") or a sortable
        numeric column ("keys")."""
        key = (kind, field_name)
        found = self._columns.get(key)
        if found is None:
            read = whoosh_adapter.field_lengths if kind == "lengths" \
                else whoosh_adapter.sort_keys
            parts = [read(segment.reader(), field_name) for segment, _ in self.segments()]
            found = self._columns[key] = parts[0] if len(parts) == 1 else np.concatenate(parts)
        return found

    def _live_bits(self, ids: np.ndarray) -> int:
        if any(len(gone) for gone in self._deleted):
            ids = ids[~np.isin(ids, self._all_deleted())]
        return self.bits(ids)

    def _all_deleted(self) -> np.ndarray:
        return np.concatenate([gone + offset for (_, offset), gone
                               in zip(self.segments(), self._deleted, strict=False)])

    # --- what a query matches ------------------------------------------------------------

    def values(self, field_name: str) -> dict[str, int]:
        """value -> entries holding it, for an ID field."""
        found = self._values.get(field_name)
        if found is None:
            field = self.searcher.schema[field_name]
            found = self._values[field_name] = {
                field.from_bytes(value): self._live_bits(self.postings(field_name, value)[0])
                for value in self.searcher.lexicon(field_name) if value}
        return found

    def matching(self, query: Query) -> int:
        """The entries a query matches, as Whoosh's matchers find them."""
        if isinstance(query, Term):
            return self.term(query.fieldname, query.text)
        if isinstance(query, (And, Or)) and query.subqueries:
            parts = [self.matching(sub) for sub in query.subqueries]
            combined = parts[0]
            for part in parts[1:]:
                combined = combined & part if isinstance(query, And) else combined | part
            return combined
        if isinstance(query, Prefix):
            return self._prefix(query)
        if isinstance(query, Phrase):
            return self._phrase(query)
        return self._by_whoosh(query)

    def _by_whoosh(self, query: Query) -> int:
        """Entries from Whoosh's matchers, deleted ones removed: whoosh3 3.54.0's
        `docs_for_query` returns a segment's deleted last entry for a NOT (its scored
        search does not: the collector skips it)."""
        return self._live_bits(np.fromiter(self.searcher.docs_for_query(query),
                                           dtype=np.int64))

    def expansions(self, query: Prefix) -> list[bytes]:
        """The index words a prefix stands for, as Whoosh expands it."""
        return [text for _field, text in query.expanded_terms(self.searcher.reader()) if text]

    def _prefix(self, query: Prefix) -> int:
        """A prefix's entries: one set for all the words it expands to (thousands, at
        times), kept per searcher like a term's; their postings are kept for the ranking."""
        key = ("prefix", query.fieldname, query.text)
        found = self._sets.get(key)
        if found is None:
            texts = self.expansions(query)
            found = self._sets[key] = self._live_bits(np.concatenate(
                [self.kept_postings(query.fieldname, text)[0] for text in texts])) \
                if texts else 0
        return found

    def _phrase(self, query: Phrase) -> int:
        """A phrase's entries, from Whoosh's phrase matcher (positions), kept per searcher:
        the ranking needs them again."""
        key = ("phrase", query.fieldname, tuple(query.words), query.slop)
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = self._by_whoosh(query)
        return found

    def term(self, field_name: str, text) -> int:
        """A term's entries (without deleted ones), kept per searcher."""
        if isinstance(text, str):
            text = self.searcher.schema[field_name].to_bytes(text)
        key = (field_name, text)
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = self._live_bits(self.kept_postings(field_name, text)[0])
        return found

    def allowed(self, network_ids: set[int]) -> int | None:
        """Entries of these networks; None when that is every entry (no filter)."""
        networks = self.values("network_id")
        if {str(network_id) for network_id in network_ids} >= set(networks):
            return None
        allowed = 0
        for network_id in network_ids:
            allowed |= networks.get(str(network_id), 0)
        return allowed


def first_docnums(bits: int, count: int) -> list[int]:
    """The `count` lowest entry numbers of a set."""
    found = []
    while bits and len(found) < count:
        lowest = bits & -bits
        found.append(lowest.bit_length() - 1)
        bits ^= lowest
    return found
