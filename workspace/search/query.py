"""Answering a search: validate and parse the user's words, keep to the networks the user
may see, re-check each shown hit against the database, highlight the shown page only.

The index only decides what matches: everything shown (title, author, excerpt, link) is
read again from the database through the registry, so that an entry not yet updated by
the worker never shows something deleted, hidden or moved to another network.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from markupsafe import Markup, escape
from whoosh import highlight
from whoosh.qparser import EveryPlugin, FieldsPlugin, MultifieldParser, RangePlugin
from whoosh.query import And, Or, Query, Term
from whoosh.sorting import Facets, FieldFacet

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
        current = open_index().searcher()
        cache[path] = current
    return current


# --- searching -------------------------------------------------------------------------

def _network_filter(network_ids: set[int]) -> Query:
    """Entries of these networks. Never called with an empty set: whoosh drops a NullQuery
    from an And, which would then match every network."""
    if not network_ids:
        raise ValueError("no network to search")
    return Or([Term("network_id", str(network_id)) for network_id in sorted(network_ids)])


def search(user, text: str, *, kind: str | None = None, network_id: int | None = None,
           sort: str = "relevance", page: int = 1) -> Results:
    """One page of what `user` may find; counts per kind and network over the same."""
    visible = visible_network_ids(user)
    results = Results(query=text, page=max(page, 1))
    the_searcher = searcher()
    query = parse(text, the_searcher.schema)
    if not visible:
        return results
    allowed = _network_filter(visible)
    facets = Facets().add_field("kind").add_field("network_id")
    counted = the_searcher.search(query, filter=allowed, groupedby=facets, limit=1)
    results.kinds = {key: len(ids) for key, ids in counted.groups("kind").items()}
    results.networks = {int(key): len(ids)
                        for key, ids in counted.groups("network_id").items()}
    if network_id is not None:
        if network_id not in visible:
            return results
        allowed = _network_filter({network_id})
    narrowed = [allowed] + ([Term("kind", kind)] if kind else [])
    page_hits = the_searcher.search_page(
        query, results.page, pagelen=PER_PAGE, filter=And(narrowed),
        sortedby=FieldFacet("date", reverse=True) if sort == "date" else None)
    results.total, results.pages = page_hits.total, page_hits.pagecount
    results.hits = [hit for hit in (_checked_hit(user, visible, found) for found in page_hits)
                    if hit is not None]
    return results


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


def _excerpt(found, doc: SearchDoc) -> tuple[Markup, int | None]:
    """Highlighted words of the text; for a file, the first page where they appear."""
    parts = doc.text.split("\f")
    for number, part in enumerate(parts):
        snippet = _highlight(found, part) if part.strip() else ""
        if snippet:
            return Markup(snippet), (number if len(parts) > 1 and number > 0 else None)
    return Markup(escape(doc.text.replace("\f", " ")[:240])), None
