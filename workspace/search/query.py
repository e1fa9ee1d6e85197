"""Answering a search: validate and parse the user's words, keep to the networks the user
may see, re-check each shown hit against the database, highlight the shown page only.

The index only decides what matches: everything shown (title, author, excerpt, link) is
read again from the database through the registry, so that an entry not yet updated by
the worker never shows something deleted, hidden or moved to another network.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask_babel import gettext as _
from markupsafe import Markup, escape
import numpy as np
from whoosh import highlight
from whoosh.qparser import EveryPlugin, FieldsPlugin, MultifieldParser, RangePlugin
from whoosh.query import And, DateRange, Or, Phrase, Prefix, Query, Term

from workspace.extensions import db
from workspace.networks.access import visible_network_ids
from workspace.networks.models import Network
from workspace.search import postings
from workspace.search.indexer import index_dir, open_index, open_searcher
from workspace.search.registry import SearchDoc, registration

PER_PAGE = 10
MAX_QUERY_CHARS = 200
MAX_TERMS = 20
MAX_NESTING = 3
MIN_PREFIX = 3
SORTS = ("relevance", "date")
FACETS = ("kind", "network_id", "commune", "author")

_WORD = re.compile(r"\w+")
_WILDCARD_TOKEN = re.compile(r"\S*[*?]\S*")
_GOOD_PREFIX = re.compile(rf"^\"?\(*\w{{{MIN_PREFIX},}}\*\)*\"?$")


class QueryRefused(ValueError):
    """A query we will not run; the message says why, in the user's language."""


@dataclass
class Hit:
    doc: SearchDoc
    kind_label: str
    network: Network
    excerpt: Markup
    page: int | None = None  # page of the file where the words were found


@dataclass
class Results:
    query: str
    total: int = 0
    page: int = 1
    pages: int = 0
    hits: list[Hit] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    networks: dict[int, int] = field(default_factory=dict)
    communes: dict[str, int] = field(default_factory=dict)
    authors: dict[str, int] = field(default_factory=dict)
    suggestion: str | None = None  # "did you mean", from what the user may see only


@dataclass(frozen=True)
class Filters:
    """Narrowing chosen on the result page; facets count what the query finds before it."""

    kind: str | None = None
    network_id: int | None = None
    commune: str | None = None
    author: str | None = None
    date_from: datetime | None = None  # UTC, inclusive
    date_to: datetime | None = None  # UTC, exclusive


# --- validation and parsing ------------------------------------------------------------

def check_query(text: str) -> str:
    """The query, tidied; QueryRefused for what we do not run (too long, too many words,
    leading or short wildcards, deep nesting)."""
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRefused(_("Votre recherche est trop longue : %(max)d caractères au plus.",
                             max=MAX_QUERY_CHARS))
    if len(_WORD.findall(text)) > MAX_TERMS:
        raise QueryRefused(_("Votre recherche compte trop de mots : %(max)d au plus.",
                             max=MAX_TERMS))
    depth = deepest = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise QueryRefused(_("Trop de parenthèses imbriquées : %(max)d niveaux au plus.",
                             max=MAX_NESTING))
    for token in _WILDCARD_TOKEN.findall(text):
        if not _GOOD_PREFIX.match(token):
            raise QueryRefused(_(
                "L'astérisque ne se place qu'en fin de mot, après au moins %(min)d lettres "
                "(par exemple « chaud* »).", min=MIN_PREFIX))
    return text


def _parser(schema) -> MultifieldParser:
    """Words and phrases in the title and the text only: no `field:value` (the network
    and kind fields cannot be named), no ranges, no `*:*`; prefixes checked beforehand."""
    parser = MultifieldParser(["title", "text"], schema)
    for plugin in (FieldsPlugin, RangePlugin, EveryPlugin):
        parser.remove_plugin_class(plugin)
    return parser


def parse(text: str, schema) -> Query:
    try:
        return _parser(schema).parse(check_query(text))
    except QueryRefused:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure is the user's syntax
        raise QueryRefused(_("Cette recherche n'a pas pu être comprise.")) from error


# --- the searcher kept open per thread --------------------------------------------------

_local = threading.local()


def searcher():
    """This thread's searcher of the app's index, reopened when the index changed.

    Not `Searcher.refresh()`: it reuses the reader of a segment whose deletions changed
    and keeps counting deleted entries (seen with whoosh3 3.54.0)."""
    cache: dict[Path, object] = getattr(_local, "searchers", None) or {}
    _local.searchers = cache
    path = index_dir()
    current = cache.get(path)
    if current is None or not current.up_to_date():
        if current is not None:
            current.close()
        current = _open_searcher()
        cache[path] = current
    return current


def _open_searcher(attempts: int = 5):
    """Open the index's newest generation. A worker committing at that moment replaces
    the table of contents and removes the files of the generation being opened, which
    makes the opening fail (seen under load in tests/concurrency/test_search_writes.py):
    try again on the generation that replaced it."""
    for attempt in range(attempts):
        try:
            return open_searcher(open_index())
        except Exception:  # noqa: BLE001 - Whoosh raises OSError, EmptyIndexError...
            if attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


# --- searching -------------------------------------------------------------------------

class DocSets:
    """Sets of index entries as Python integers (bit n set = entry n), kept per searcher:
    the entries of each network, kind, commune and author, built once per searcher (until
    the index changes). A query's matches are read once; its counts per facet, the network
    filter and the narrowing filters are then intersections and bit counts done in C,
    instead of a Python step per match and per facet. The postings behind them are numpy
    arrays (postings.py), which also rank the page (`rank`).

    Deleted entries may be in the kept sets of values; they are never in a query's
    matches, so they never reach a count."""

    MAX_KEPT_POSTINGS = 2_000_000  # postings of query terms kept per searcher (~32 MB)

    def __init__(self, the_searcher):
        self.searcher = the_searcher
        self.size = the_searcher.doc_count_all()
        self._values: dict[str, dict[str, int]] = {}
        self._terms: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}  # postings
        self._sets: dict[tuple, int] = {}  # entries of terms and prefixes
        self._kept_postings = 0
        self._columns: dict[tuple[str, str], np.ndarray] = {}
        segments = self._segments()
        self._deleted = [postings.deleted(segment.reader()) for segment, _ in segments]

    @classmethod
    def of(cls, the_searcher) -> "DocSets":
        kept = getattr(the_searcher, "_tilt_docsets", None)
        if kept is None:
            kept = the_searcher._tilt_docsets = cls(the_searcher)  # noqa: SLF001
        return kept

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
        for segment, offset in self._segments():
            found_ids, found_weights = postings.segment_postings(segment.reader(), field_name,
                                                                 text)
            ids.append(found_ids + offset)
            weights.append(found_weights)
        if len(ids) == 1:
            return ids[0], weights[0]
        return np.concatenate(ids), np.concatenate(weights)

    def _live(self, field_name: str, text: bytes) -> np.ndarray:
        """A term's global document numbers, without deleted entries."""
        ids = []
        for (segment, offset), gone in zip(self._segments(), self._deleted):
            found, _weights = postings.segment_postings(segment.reader(), field_name, text)
            if len(gone):
                found = found[~np.isin(found, gone, assume_unique=True)]
            ids.append(found + offset)
        return np.concatenate(ids) if ids else np.empty(0, np.int64)

    def values(self, field_name: str) -> dict[str, int]:
        """value -> entries holding it, for an ID field."""
        found = self._values.get(field_name)
        if found is None:
            field = self.searcher.schema[field_name]
            found = self._values[field_name] = {
                field.from_bytes(value): self.bits(self._live(field_name, value))
                for value in self.searcher.lexicon(field_name) if value}
        return found

    def matching(self, query: Query) -> int:
        """The entries a query matches. Terms, their unions and intersections and prefixes
        are set operations on the terms' postings (read block by block, kept per
        searcher); other queries (phrases) go through Whoosh's matchers."""
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
        return self.bits(np.fromiter(self.searcher.docs_for_query(query), dtype=np.int64))

    def _expansions(self, query: Prefix) -> list[bytes]:
        return [text for text in query._btexts(self.searcher.reader()) if text]  # noqa: SLF001

    def _prefix(self, query: Prefix) -> int:
        """A prefix's entries: one set for all the words it expands to (thousands, at
        times), kept per searcher like a term's; their postings are kept for the ranking."""
        key = ("prefix", query.fieldname, query.text)
        found = self._sets.get(key)
        if found is None:
            texts = self._expansions(query)
            found = self._sets[key] = self._live_bits(np.concatenate(
                [self._postings_of(query.fieldname, text)[0] for text in texts])) \
                if texts else 0
        return found

    def term(self, field_name: str, text) -> int:
        """A term's entries (without deleted ones), kept per searcher."""
        if isinstance(text, str):
            text = self.searcher.schema[field_name].to_bytes(text)
        key = (field_name, text)
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = self._live_bits(self._postings_of(field_name, text)[0])
        return found

    def _live_bits(self, ids: np.ndarray) -> int:
        if any(len(gone) for gone in self._deleted):
            ids = ids[~np.isin(ids, self._all_deleted())]
        return self.bits(ids)

    def _postings_of(self, field_name: str, text) -> tuple[np.ndarray, np.ndarray]:
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

    def _all_deleted(self) -> np.ndarray:
        return np.concatenate([gone + offset for (_, offset), gone
                               in zip(self._segments(), self._deleted)])

    def forget_terms(self) -> None:
        """Drop the kept postings of terms (benchmarks measure queries cold)."""
        self._terms.clear()
        self._sets.clear()
        self._kept_postings = 0

    def _segments(self):
        return self.searcher.subsearchers or [(self.searcher, 0)]

    def column(self, kind: str, field_name: str) -> np.ndarray:
        """Per-entry arrays kept per searcher: field lengths ("lengths") or a sortable
        numeric column ("keys")."""
        key = (kind, field_name)
        found = self._columns.get(key)
        if found is None:
            read = postings.field_lengths if kind == "lengths" else postings.sort_keys
            parts = [read(segment.reader(), field_name) for segment, _ in self._segments()]
            found = self._columns[key] = parts[0] if len(parts) == 1 else np.concatenate(parts)
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

    # --- ranking ---------------------------------------------------------------------------

    def rank(self, query: Query, among: int, count: int, by_date: bool = False) -> list[int]:
        """The first `count` entries of the set `among`, by relevance (BM25F, the formula
        and statistics of Whoosh's default weighting, summed over the query's words as
        Whoosh's And/Or matchers sum them) or by date, newest first; ties by entry number,
        so that pages follow each other."""
        mask = self.mask(among)
        candidates = np.flatnonzero(mask)
        if by_date:
            # newest first: the complement of the unsigned sortable value (no overflow)
            keys = ~self.column("keys", "date")[candidates]
        else:
            keys = -self.scores(query)[candidates]
        if len(candidates) > count:
            # the count-th best key, then everything at least as good (ties included)
            threshold = np.partition(keys, count - 1)[count - 1]
            chosen = keys <= threshold
            candidates, keys = candidates[chosen], keys[chosen]
        order = np.lexsort((candidates, keys))[:count]
        return candidates[order].tolist()

    def scores(self, query: Query) -> np.ndarray:
        scores = np.zeros(self.size, dtype=np.float64)
        searcher = self.searcher
        for leaf in _scored_leaves(query):
            # a prefix is scored as whoosh3 scores it: as the words it expands to
            terms = ([(leaf.fieldname, text) for text in self._expansions(leaf)]
                     if isinstance(leaf, Prefix) else _leaf_terms(leaf))
            for field_name, text in terms:
                ids, weights = self._postings_of(field_name, text)
                if not len(ids):
                    continue
                lengths = self.column("lengths", field_name)[ids]
                average = searcher.avg_field_length(field_name) or 1
                idf = searcher.idf(field_name, text)
                scores[ids] += leaf.boost * idf * (weights * (BM25_K1 + 1)) / (
                    weights + BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / average))
        return scores


BM25_B, BM25_K1 = 0.75, 1.2  # Whoosh's BM25F defaults (the index's weighting)


def _scored_leaves(query: Query):
    """The leaves that add to a document's score: not those under a negation."""
    from whoosh.query import AndNot, Not

    if isinstance(query, Not):
        return
    if isinstance(query, AndNot):
        yield from _scored_leaves(query.a)
        return
    if query.is_leaf():
        yield query
        return
    for child in query.children():
        yield from _scored_leaves(child)


def _leaf_terms(leaf: Query):
    """(field, word) of a term, or of each word of a phrase."""
    if isinstance(leaf, Term):
        yield leaf.fieldname, leaf.text
    elif isinstance(leaf, Phrase):
        for word in leaf.words:
            yield leaf.fieldname, word


def first_docnums(bits: int, count: int) -> list[int]:
    found = []
    while bits and len(found) < count:
        lowest = bits & -bits
        found.append(lowest.bit_length() - 1)
        bits ^= lowest
    return found


def search(user, text: str, filters: Filters = Filters(), *, sort: str = "relevance",
           page: int = 1) -> Results:
    """One page of what `user` may find; counts per kind, network, commune and author over
    everything the query finds among what they may see (before the narrowing filters).

    The matches are read once as a set; counts and filters are set operations (DocSets);
    then the narrowed set is ranked (BM25F with numpy, `DocSets.rank`) for the page."""
    visible = visible_network_ids(user)
    results = Results(query=text, page=max(page, 1))
    the_searcher = searcher()
    query = parse(text, the_searcher.schema)
    if not visible or (filters.network_id is not None and filters.network_id not in visible):
        return results
    sets = DocSets.of(the_searcher)
    allowed = sets.allowed(visible)
    if allowed == 0:
        return results
    found = sets.matching(query)
    if allowed is not None:
        found &= allowed
    if found:
        for name in FACETS:
            counts = {value: count for value, entries in sets.values(name).items()
                      if (count := (found & entries).bit_count())}
            counts = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
            setattr(results, _FACET_ATTRIBUTES[name], counts)
        results.networks = {int(key): count for key, count in results.networks.items()}
    narrowed = found
    for name, value in (("kind", filters.kind), ("commune", filters.commune),
                        ("author", filters.author),
                        ("network_id", None if filters.network_id is None
                         else str(filters.network_id))):
        if value is not None and narrowed:
            narrowed &= sets.values(name).get(value, 0)
    if (filters.date_from or filters.date_to) and narrowed:
        narrowed &= sets.matching(DateRange("date", filters.date_from, filters.date_to,
                                            endexcl=True))
    results.total = narrowed.bit_count()
    results.pages = -(-results.total // PER_PAGE)
    if not narrowed:
        return _with_suggestion(results, the_searcher, visible, text, allowed)
    results.page = min(results.page, results.pages)
    start = (results.page - 1) * PER_PAGE
    shown = sets.rank(query, narrowed, start + PER_PAGE, by_date=sort == "date")[start:]
    words = _highlighted_words(query, the_searcher)
    results.hits = [hit for hit in (_checked_hit(user, visible, the_searcher.stored_fields(docnum),
                                                 words, the_searcher)
                                    for docnum in shown)
                    if hit is not None]
    return _with_suggestion(results, the_searcher, visible, text, allowed)


_FACET_ATTRIBUTES = {"kind": "kinds", "network_id": "networks", "commune": "communes",
                     "author": "authors"}


def _with_suggestion(results: Results, the_searcher, visible: set[int], text: str,
                     allowed: int | None) -> Results:
    if results.total < SUGGEST_BELOW:
        results.suggestion = suggest(the_searcher, visible, text, allowed)
    return results


# --- did you mean ------------------------------------------------------------------------

SUGGEST_BELOW = 3  # results under which a correction is offered
_SUGGEST_MIN_LENGTH = 4


def _edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count one)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (char_a != char_b))
            if (previous2 is not None and i > 1 and j > 1 and char_a == b[j - 2]
                    and a[i - 2] == char_b):
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _visible_entries(the_searcher, term: str, allowed: int | None) -> int:
    """Entries of the visible networks holding this index term (a set: DocSets)."""
    if not the_searcher.doc_frequency("text", term):
        return 0
    entries = DocSets.of(the_searcher).matching(Term("text", term))
    return entries if allowed is None else entries & allowed


def _visible_word(the_searcher, visible: set[int], term: str,
                  allowed: int | None) -> str | None:
    """A word as written (accents and all) whose index term is `term`, read from an entry
    the user may see, re-checked against the database; None if there is none."""
    analyzer = the_searcher.schema["text"].analyzer
    for docnum in first_docnums(_visible_entries(the_searcher, term, allowed), 5):
        stored = the_searcher.stored_fields(docnum)
        reg = registration(stored["kind"])
        doc = reg.document(int(stored["object_id"])) if reg is not None else None
        if doc is None or doc.network_id not in visible:
            continue
        for token in analyzer(doc.text[:HIGHLIGHT_CHARS], keeporiginal=True):
            if token.text == term:
                return token.original.lower()
    return None


def suggest(the_searcher, visible: set[int], text: str, allowed: int | None) -> str | None:
    """The query with its unknown words replaced by the closest words found in what the
    user may see, or None.

    Whoosh's corrector reads the whole index, so its candidates (index terms, that is
    stems) are only a shortlist: each is kept only if it occurs in an entry of the
    networks the user may see, ranked by edit distance then by how many such entries hold
    it (never by counts that include what the user may not see), and shown as a word read
    from one of those entries."""
    analyzer = the_searcher.schema["text"].analyzer
    corrector = the_searcher.corrector("text")
    changed, words = False, []
    parts = re.split(r"(\w+)", text)
    for position, token in enumerate(parts):
        terms = [t.text for t in analyzer(token)] if re.fullmatch(r"\w+", token or "") else []
        is_prefix = position + 1 < len(parts) and parts[position + 1].startswith("*")
        if (len(terms) != 1 or len(token) < _SUGGEST_MIN_LENGTH or is_prefix
                or _visible_entries(the_searcher, terms[0], allowed)):
            words.append(token)
            continue
        term = terms[0]
        # prefix=2: typing errors rarely touch the first two letters, and the corrector
        # measures the distance to every term sharing the prefix
        candidates = [(candidate, count) for candidate in corrector.suggest(
            term, limit=8, maxdist=2, prefix=2)
            if (count := _visible_entries(the_searcher, candidate, allowed).bit_count())]
        replacement = None
        for candidate, _count in sorted(candidates, key=lambda item: (
                _edit_distance(term, item[0]), -item[1], item[0])):
            replacement = _visible_word(the_searcher, visible, candidate, allowed)
            if replacement:
                break
        words.append(replacement or token)
        changed = changed or replacement is not None
    return "".join(words) if changed else None


def _checked_hit(user, visible: set[int], found: dict, words: frozenset[str],
                 the_searcher) -> Hit | None:
    """The hit (its stored fields) as the database sees it now, or None if the user may
    no longer find it."""
    reg = registration(found["kind"])
    doc = reg.document(int(found["object_id"])) if reg is not None else None
    if doc is None or doc.network_id not in visible:
        return None
    network = db.session.get(Network, doc.network_id)
    excerpt, page = _excerpt(doc, words, the_searcher.schema["text"].analyzer)
    return Hit(doc, str(reg.label), network, excerpt, page)


def _highlighted_words(query: Query, the_searcher) -> frozenset[str]:
    """The index terms of the text field the query looks for, prefixes expanded (as
    Whoosh's highlighter takes them)."""
    field = the_searcher.schema["text"]
    return frozenset(field.from_bytes(text) for _name, text in query.existing_terms(
        the_searcher.reader(), fieldname="text", expand=True))


class _MarkFormatter(highlight.Formatter):
    """Escaped text with the matched words in <mark>."""

    between = " … "

    def _text(self, text):
        return str(escape(text))

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


_FRAGMENTER = highlight.ContextFragmenter(maxchars=240, surround=60)


HIGHLIGHT_CHARS = 60_000  # of a hit's text analysed to find its excerpt (a long file...)


def _excerpt(doc: SearchDoc, words: frozenset[str], analyzer) -> tuple[Markup, int | None]:
    """Highlighted words of the text; for a file, the first page where they appear.
    Highlighting analyses the text again, so only its first HIGHLIGHT_CHARS characters
    are looked at: past them, the excerpt is the beginning of the text."""
    parts = doc.text.split("\f")
    budget = HIGHLIGHT_CHARS
    for number, part in enumerate(parts):
        if budget <= 0:
            break
        part = part[:budget]
        budget -= len(part)
        snippet = highlight.highlight(part, words, analyzer, _FRAGMENTER, _MarkFormatter(),
                                      top=2) if part.strip() and words else ""
        if snippet:
            return Markup(snippet), (number if len(parts) > 1 and number > 0 else None)
    return Markup(escape(doc.text.replace("\f", " ")[:240])), None
