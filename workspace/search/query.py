"""Answering a search: keep to the networks the user may see, count the facets, rank the
narrowed set, re-check each shown hit against the database, highlight the shown page only.

The index only decides what matches: everything shown (title, author, excerpt, link) is
read again from the database through the registry, so that an entry not yet updated by
the worker never shows something deleted, hidden or moved to another network.

The pieces: parsing.py (the user's words), docsets.py (sets of entries), ranking.py
(scores as Whoosh's), suggestions.py (did you mean), excerpts.py (highlighting),
whoosh_adapter.py (every use of Whoosh's internals).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from markupsafe import Markup
from whoosh.query import DateRange, Query

from workspace.extensions import db
from workspace.networks.access import is_administrator, member_network_ids, visible_network_ids
from workspace.networks.models import Network
from workspace.search.docsets import DocSets, first_docnums  # noqa: F401 - callers
from workspace.search.excerpts import excerpt, highlighted_words
from workspace.search.indexer import index_dir, open_index, open_searcher
from workspace.search.lag import lagging
from workspace.search.parsing import QueryRefused, check_query, parse  # noqa: F401 - callers
from workspace.search.ranking import rank
from workspace.search.registry import Audience, SearchDoc, members_only_kinds, registration
from workspace.search.suggestions import SUGGEST_BELOW, suggest

PER_PAGE = 10
SORTS = ("relevance", "date")
FACETS = ("kind", "network_id", "commune", "author")
_FACET_ATTRIBUTES = {"kind": "kinds", "network_id": "networks", "commune": "communes",
                     "author": "authors"}


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
    uncounted: int = 0  # recent changes not counted yet (the index is far behind)


@dataclass(frozen=True)
class Filters:
    """Narrowing chosen on the result page; facets count what the query finds before it."""

    kind: str | None = None
    network_id: int | None = None
    commune: str | None = None
    author: str | None = None
    date_from: datetime | None = None  # UTC, inclusive
    date_to: datetime | None = None  # UTC, exclusive


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


def _open_searcher(attempts: int = 12):
    """Open the index's newest generation. A worker committing at that moment replaces
    the table of contents and removes the files of the generation being opened, which
    makes the opening fail (seen under load in tests/concurrency/test_search_writes.py):
    try again on the generation that replaced it (up to about 1.5 s in all: on a loaded
    machine several writers may merge one after the other)."""
    for attempt in range(attempts):
        try:
            return open_searcher(open_index())
        except Exception:
            if attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


# --- what the index finds ---------------------------------------------------------------

@dataclass
class Found:
    """What the index finds for a query among some networks: the matches (a set), the
    counts per facet value (before narrowing), the narrowed set and one page of it."""

    matches: int = 0
    uncounted: int = 0  # lagging matches left out of every count (lag.py)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    narrowed: int = 0
    page: list[int] = field(default_factory=list)


def find(the_searcher, query: Query, networks: set[int] | None, filters: Filters = Filters(),
         *, sort: str = "relevance", start: int = 0, count: int = PER_PAGE,
         recheck: bool = False, members: set[int] | None = None) -> Found:
    """Entries of `networks` (None: all) matching the query: facet counts (most frequent
    first), the narrowed set, and its entries start..start+count in Whoosh's order (by
    score, or newest first; ties by entry number). Kinds registered `members_only` are
    found only in `members` (None: in every one of `networks`).

    With `recheck`, the entries the index may hold out of date (lag.py) are counted with
    what the database says now, or not at all when the user may no longer find them."""
    sets = DocSets.of(the_searcher)
    found = Found()
    allowed = allowed_entries(sets, networks, members)
    if allowed == 0:
        return found
    matches = sets.matching(query)
    found.matches = matches if allowed is None else matches & allowed
    audience = Audience(frozenset(networks or ()),
                        None if members is None else frozenset(members))
    late = lagging(sets, found.matches, audience) if recheck and networks else None
    trusted = found.matches & ~late.entries if late else found.matches
    found.uncounted = late.uncounted if late else 0
    for name in FACETS:
        counts = {value: number for value, entries in sets.values(name).items()
                  if (number := (trusted & entries).bit_count())}
        for doc in (late.current.values() if late else ()):
            value = _doc_value(doc, name)
            counts[value] = counts.get(value, 0) + 1
        if counts:
            found.facets[name] = dict(sorted(counts.items(),
                                             key=lambda item: (-item[1], item[0])))
    found.narrowed = _narrowed(sets, trusted, filters)
    if late:
        found.matches = trusted | sum(1 << docnum for docnum in late.current)
        found.narrowed |= sum(1 << docnum for docnum, doc in late.current.items()
                              if _kept(doc, filters))
    if found.narrowed and count:
        found.page = rank(sets, query, found.narrowed, start + count,
                          by_date=sort == "date")[start:]
    return found


def allowed_entries(sets: DocSets, networks: set[int] | None,
                    members: set[int] | None = None) -> int | None:
    """The entries of these networks (None: every entry), without those of members-only
    kinds in the networks of `networks` the user is not a member of."""
    allowed = None if networks is None else sets.allowed(networks)
    outside = set() if members is None or networks is None else networks - members
    kinds = members_only_kinds() if outside and allowed != 0 else set()
    if not kinds:
        return allowed
    everything = (1 << sets.size) - 1
    excluded = 0
    for kind in kinds:
        excluded |= sets.values("kind").get(kind, 0)
    outside_entries = sets.allowed(outside)
    excluded &= everything if outside_entries is None else outside_entries
    if not excluded:
        return allowed
    return (everything if allowed is None else allowed) & ~excluded


def _narrowed(sets: DocSets, matches: int, filters: Filters) -> int:
    """The matches kept by the filters chosen on the page."""
    narrowed = matches
    for name, value in (("kind", filters.kind), ("commune", filters.commune),
                        ("author", filters.author),
                        ("network_id", None if filters.network_id is None
                         else str(filters.network_id))):
        if value is not None and narrowed:
            narrowed &= sets.values(name).get(value, 0)
    if (filters.date_from or filters.date_to) and narrowed:
        narrowed &= sets.matching(DateRange("date", filters.date_from, filters.date_to,
                                            endexcl=True))
    return narrowed


def _doc_value(doc: SearchDoc, name: str) -> str:
    return {"kind": doc.kind, "network_id": str(doc.network_id), "commune": doc.commune,
            "author": doc.author}[name]


def _naive_utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _kept(doc: SearchDoc, filters: Filters) -> bool:
    """Whether a document (as the database has it) passes the page's filters."""
    for name, value in (("kind", filters.kind), ("commune", filters.commune),
                        ("author", filters.author), ("network_id", None if filters.network_id
                                                     is None else str(filters.network_id))):
        if value is not None and _doc_value(doc, name) != value:
            return False
    date = _naive_utc(doc.date)
    if filters.date_from and (date is None or date < _naive_utc(filters.date_from)):
        return False
    return not (filters.date_to and (date is None or date >= _naive_utc(filters.date_to)))


# --- the page ---------------------------------------------------------------------------

def search(user, text: str, filters: Filters = Filters(), *, sort: str = "relevance",
           page: int = 1) -> Results:
    """One page of what `user` may find; counts per kind, network, commune and author over
    everything the query finds among what they may see (before the narrowing filters)."""
    visible = visible_network_ids(user)
    members = visible if is_administrator(user) else member_network_ids(user) & visible
    audience = Audience(frozenset(visible), frozenset(members))
    results = Results(query=text, page=max(page, 1))
    the_searcher = searcher()
    query = parse(text, the_searcher.schema)
    if not visible or (filters.network_id is not None and filters.network_id not in visible):
        return results
    found = find(the_searcher, query, visible, filters, count=0, recheck=True, members=members)
    for name, counts in found.facets.items():
        setattr(results, _FACET_ATTRIBUTES[name], counts)
    results.networks = {int(key): count for key, count in results.networks.items()}
    results.total = found.narrowed.bit_count()
    results.uncounted = found.uncounted
    results.pages = -(-results.total // PER_PAGE)
    if found.narrowed:
        results.page = min(results.page, results.pages)
        start = (results.page - 1) * PER_PAGE
        shown = rank(DocSets.of(the_searcher), query, found.narrowed, start + PER_PAGE,
                     by_date=sort == "date")[start:]
        words = highlighted_words(query, the_searcher)
        results.hits = _checked_hits(audience, [the_searcher.stored_fields(docnum)
                                                for docnum in shown], words, the_searcher)
    if results.total < SUGGEST_BELOW:
        allowed = allowed_entries(DocSets.of(the_searcher), visible, members)
        results.suggestion = suggest(the_searcher, audience, text, allowed)
    return results


def _checked_hits(audience: Audience, found: list[dict], words: frozenset[str],
                  the_searcher) -> list[Hit]:
    """The page's hits (their stored fields) as the database sees them now, in their order,
    without those the user may no longer find. The objects are read by kind, one query
    each with their relations (the registry's `documents`, as a rebuild reads them), not
    one by one."""
    wanted: dict[str, list[int]] = {}
    for fields in found:
        wanted.setdefault(fields["kind"], []).append(int(fields["object_id"]))
    current: dict[tuple[str, int], SearchDoc] = {}
    for kind, ids in wanted.items():
        reg = registration(kind)
        if reg is not None:
            current.update(((kind, doc.object_id), doc) for doc in reg.documents(ids))
    hits = []
    analyzer = the_searcher.schema["text"].analyzer
    for fields in found:
        doc = current.get((fields["kind"], int(fields["object_id"])))
        if doc is None or not audience.may_see(doc):
            continue
        shown, page = excerpt(doc, words, analyzer)
        hits.append(Hit(doc, str(registration(doc.kind).label),
                        db.session.get(Network, doc.network_id), shown, page))
    return hits
