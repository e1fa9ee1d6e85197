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
from whoosh import highlight
from whoosh.qparser import EveryPlugin, FieldsPlugin, MultifieldParser, RangePlugin
from whoosh.idsets import BitSet
from whoosh.query import And, DateRange, Or, Prefix, Query, Term
from whoosh.sorting import ColumnCategorizer, FieldFacet

from workspace.extensions import db
from workspace.networks.access import visible_network_ids
from workspace.networks.models import Network
from workspace.search.indexer import index_dir, open_index
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
            return open_index().searcher()
        except Exception:  # noqa: BLE001 - Whoosh raises OSError, EmptyIndexError...
            if attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


# --- searching -------------------------------------------------------------------------

class _KeptColumnCategorizer(ColumnCategorizer):
    """Whoosh opens a segment's column reader again for every search, and opening one
    reads the whole column's offsets: a cost that grows with the index, paid per facet per
    query. The readers are kept on the segment reader instead, which lives as long as the
    searcher (until the index changes)."""

    def set_searcher(self, segment_searcher, docoffset: int) -> None:
        reader = segment_searcher.reader()
        kept = reader.__dict__.setdefault("_tilt_columns", {})
        key = (self._fieldname, self._reverse)
        if key not in kept:
            kept[key] = reader.column_reader(self._fieldname, reverse=self._reverse,
                                             translate=False)
        self._creader = kept[key]


class KeptFieldFacet(FieldFacet):
    """A FieldFacet over a sortable column whose readers are kept (see above)."""

    def categorizer(self, global_searcher):
        return _KeptColumnCategorizer(global_searcher, self.fieldname, self.reverse)


class DocSets:
    """Sets of index entries as Python integers (bit n set = entry n), kept per searcher:
    the entries of each network, kind, commune and author, built once per searcher (until
    the index changes). A query's matches are read once; its counts per facet, the network
    filter and the narrowing filters are then intersections and bit counts done in C,
    instead of a Python step per match and per facet.

    Deleted entries may be in the kept sets; they are never in a query's matches, so they
    never reach a count."""

    def __init__(self, the_searcher):
        self.searcher = the_searcher
        self.size = the_searcher.doc_count_all()
        self._values: dict[str, dict[str, int]] = {}
        self._terms: dict[tuple, int] = {}

    @classmethod
    def of(cls, the_searcher) -> "DocSets":
        kept = getattr(the_searcher, "_tilt_docsets", None)
        if kept is None:
            kept = the_searcher._tilt_docsets = cls(the_searcher)  # noqa: SLF001
        return kept

    def bits(self, sources) -> int:
        """One set from several iterables of document numbers, filled in one buffer."""
        buffer = bytearray((self.size >> 3) + 1)
        for docnums in sources:
            for docnum in docnums:
                buffer[docnum >> 3] |= 1 << (docnum & 7)
        return int.from_bytes(buffer, "little")

    def _postings(self, field_name: str, text: bytes):
        """The global document numbers of a term, segment after segment."""
        for segment, offset in self._segments():
            reader = segment.reader()
            if (field_name, text) in reader:
                for docnum in _leaf_ids(reader.postings(field_name, text)):
                    yield docnum + offset

    def values(self, field_name: str) -> dict[str, int]:
        """value -> entries holding it, for an ID field."""
        found = self._values.get(field_name)
        if found is None:
            field = self.searcher.schema[field_name]
            found = self._values[field_name] = {
                field.from_bytes(value): self.bits([self._postings(field_name, value)])
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
            # a prefix may expand to thousands of terms: one buffer for all of them
            return self.bits(self._postings(query.fieldname, text)
                             for text in query._btexts(self.searcher.reader()))  # noqa: SLF001
        return self.bits([self.searcher.docs_for_query(query)])

    def term(self, field_name: str, text) -> int:
        if isinstance(text, str):
            text = self.searcher.schema[field_name].to_bytes(text)
        key = (field_name, text)
        found = self._terms.get(key)
        if found is None:
            found = self.bits([self._postings(field_name, text)])
            if len(self._terms) > 2_000:
                self._terms.clear()
            self._terms[key] = found
        return found

    def forget_terms(self) -> None:
        """Drop the kept postings of terms (benchmarks measure queries cold)."""
        self._terms.clear()

    def _segments(self):
        return self.searcher.subsearchers or [(self.searcher, 0)]

    def allowed(self, network_ids: set[int]) -> int | None:
        """Entries of these networks; None when that is every entry (no filter)."""
        networks = self.values("network_id")
        if {str(network_id) for network_id in network_ids} >= set(networks):
            return None
        allowed = 0
        for network_id in network_ids:
            allowed |= networks.get(str(network_id), 0)
        return allowed

    def as_filter(self, bits: int) -> BitSet:
        """A Whoosh filter of these entries (never called with no entry: Whoosh takes an
        empty filter for no filter at all)."""
        assert bits, "an empty filter would let every entry through"
        return BitSet.from_bytes(bits.to_bytes((self.size >> 3) + 1, "little"))


def _leaf_ids(matcher):
    """The document numbers of a segment's postings, a block at a time: whoosh3's leaf
    matcher keeps each block's ids in an array (`_ids`; version pinned, see
    tests/search/test_speed_paths.py), far quicker to read than a step per posting.
    Deleted entries are left out as the matcher would."""
    from whoosh.matching.wrappers import FilterMatcher

    deleted = frozenset()
    if isinstance(matcher, FilterMatcher) and matcher._exclude:  # noqa: SLF001
        deleted, matcher = matcher._ids, matcher.child  # noqa: SLF001
    if not hasattr(matcher, "_read_ids"):  # not whoosh3's leaf matcher: the slow way
        yield from (docnum for docnum in matcher.all_ids() if docnum not in deleted)
        return
    while matcher.is_active():
        if matcher._ids is None:  # noqa: SLF001
            matcher._read_ids()  # noqa: SLF001
        block = matcher._ids[matcher._i:]  # noqa: SLF001
        yield from (docnum for docnum in block if docnum not in deleted) if deleted else block
        matcher._next_block()  # noqa: SLF001


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
    then a scored search restricted to the narrowed set ranks the page's ten hits."""
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
    shown = the_searcher.search(
        query, filter=sets.as_filter(narrowed), limit=start + PER_PAGE,
        sortedby=KeptFieldFacet("date", reverse=True) if sort == "date" else None)
    results.hits = [hit for hit in (_checked_hit(user, visible, hit)
                                    for hit in shown[start:start + PER_PAGE])
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


def _checked_hit(user, visible: set[int], found) -> Hit | None:
    """The hit as the database sees it now, or None if the user may no longer find it."""
    reg = registration(found["kind"])
    doc = reg.document(int(found["object_id"])) if reg is not None else None
    if doc is None or doc.network_id not in visible:
        return None
    network = db.session.get(Network, doc.network_id)
    excerpt, page = _excerpt(found, doc)
    return Hit(doc, str(reg.label), network, excerpt, page)


class _MarkFormatter(highlight.Formatter):
    """Escaped text with the matched words in <mark>."""

    between = " … "

    def _text(self, text):
        return str(escape(text))

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


_FRAGMENTER = highlight.ContextFragmenter(maxchars=240, surround=60)


def _highlight(found, text: str) -> str:
    found.results.fragmenter = _FRAGMENTER
    found.results.formatter = _MarkFormatter()
    return found.highlights("text", text=text, top=2)


HIGHLIGHT_CHARS = 60_000  # of a hit's text analysed to find its excerpt (a long file...)


def _excerpt(found, doc: SearchDoc) -> tuple[Markup, int | None]:
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
        snippet = _highlight(found, part) if part.strip() else ""
        if snippet:
            return Markup(snippet), (number if len(parts) > 1 and number > 0 else None)
    return Markup(escape(doc.text.replace("\f", " ")[:240])), None
