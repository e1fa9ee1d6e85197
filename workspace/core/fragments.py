"""HTML fragments rendered once and kept in this process, keyed by everything they show.

For pieces that many requests render identically (the frame of every page, a network's
tabs, a forum post): the one way in is `KeptTemplate`. A feature declares each kept template
once with the names it is given, and renders it with exactly those values. The key is those
values plus what every kept template may read besides them: the application (each app has
its own caches), the script root (`url_for`) and the language (`_()`, dates). So a change
finds another entry and nothing needs to be invalidated; the least recently used entries go
when a cache is full. Each worker process has its own caches (a few MB at most).

Kept templates render in an environment of their own (`kept_environment`): the app's
loader, autoescape and pure filters, but no `request`, `session`, `g`, `config`,
`current_user` or `csrf_token()`, and `StrictUndefined`. A kept template can only show what
it is given; `tests/core/test_fragments.py` reads each one's free names against its key.
Values must be immutable (numbers, strings, dates, tuples, NamedTuples, classes): a list or
an ORM object would change behind its key.

Values that differ per request and nothing else are *slots*: the template sees a
placeholder, replaced when the fragment is served. The reader's CSRF token is the slot
every kept template has (`csrf_value`); HTML that holds a real token is never kept.
"""
from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum

from flask import Flask, current_app, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from jinja2 import BaseLoader, Environment, StrictUndefined
from markupsafe import Markup, escape

EXTENSION = "tilt.fragments"

# Filters kept templates may use: each a function of its arguments, the language and the
# app's configuration (time zone), all in the key. Jinja's own filters are there too.
PURE_FILTERS = ("datetime", "date", "html_datetime", "filesize", "doc_type", "markdown", "tojson")
# Globals besides Jinja's own (range, dict, ...) and gettext: functions of the app and the
# script root, both in the key.
APP_GLOBALS = ("url_for", "has_endpoint", "bootstrap")

# In kept HTML the reader's CSRF token is this placeholder (unguessable: never in content),
# replaced by the real token each time the fragment is served.
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
_SLOT_PREFIX = f"slot-{secrets.token_hex(16)}-"


class FragmentCache:
    """A bounded mapping, least recently used first out."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> str | None:
        with self._lock:
            html = self._entries.get(key)
            if html is not None:
                self._entries.move_to_end(key)
            return html

    def put(self, key: Hashable, html: str) -> str:
        with self._lock:
            self._entries[key] = html
            if len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


DECLARED: dict[str, KeptTemplate] = {}  # template name -> its declaration (tests read it)


class KeptTemplate:
    """A template whose HTML is kept, rendered with exactly `names` (the key) and `slots`
    (per-request strings substituted when served, escaped)."""

    def __init__(self, template: str, names: tuple[str, ...], *, slots: tuple[str, ...] = (),
                 max_entries: int = 2_000):
        if template in DECLARED:
            raise ValueError(f"{template} is already a kept template")
        self.template, self.names, self.slots = template, tuple(names), tuple(slots)
        self.max_entries = max_entries
        self.placeholders = {slot: f"{_SLOT_PREFIX}{slot}" for slot in self.slots}
        DECLARED[template] = self

    def render(self, slots: Mapping[str, str] | None = None, **values) -> Markup:
        """The fragment for `values`, kept or rendered now, served to this reader."""
        return self._serve(_fragments().kept(self, _context_key(), values), slots)

    def render_many(self, rows: Iterable[Mapping], separator: str = "\n") -> Markup:
        """Several fragments of this template (the posts of a page), joined and served once."""
        store, context_key = _fragments(), _context_key()
        return self._serve(separator.join(store.kept(self, context_key, values)
                                          for values in rows), None)

    def _serve(self, html: str, slots: Mapping[str, str] | None) -> Markup:
        if CSRF_PLACEHOLDER in html:
            html = html.replace(CSRF_PLACEHOLDER, generate_csrf())
        for name, placeholder in self.placeholders.items():
            html = html.replace(placeholder, str(escape(slots[name])))  # type: ignore[index]
        return Markup(html)


def _context_key() -> tuple[str, str]:
    """What every kept template may read besides its values: the script root (links) and
    the language (words, dates). The app is the store itself."""
    return request.script_root, str(get_locale())


class AppFragments:
    """One app's kept fragments: a cache per kept template and the kept environment."""

    def __init__(self, app: Flask):
        self.app = app
        self.caches: dict[str, FragmentCache] = {}
        self._environment: Environment | None = None
        self._link_parts: dict[tuple, tuple[str, str]] = {}

    def kept(self, kept: KeptTemplate, context_key: tuple, values: Mapping) -> str:
        """The kept HTML (with placeholders) of `kept` for `values`."""
        if len(values) != len(kept.names):
            raise TypeError(f"{kept.template} is given {sorted(values)}, not {kept.names}")
        key = (context_key, *[values[name] for name in kept.names])
        cache = self.caches.get(kept.template)
        if cache is None:
            cache = self.caches.setdefault(kept.template, FragmentCache(kept.max_entries))
        html = cache.get(key)
        if html is not None:
            return html
        for name in kept.names:
            check_immutable(values[name], f"{kept.template}: {name}")
        html = self.environment().get_template(kept.template).render(
            csrf_value=CSRF_PLACEHOLDER, **values, **kept.placeholders)
        if generate_csrf() in html:  # a reader's token in a value: never kept
            return html
        return cache.put(key, html)

    def environment(self) -> Environment:
        if self._environment is None:
            self._environment = kept_environment(self.app, self.url_with_id)
        return self._environment

    def url_with_id(self, endpoint: str, id_name: str, id_value: int, **values) -> str:
        """url_for(endpoint, **values, id_name=id_value), with url_for run once per kind of
        link: the links of the posts of a page differ only by an id."""
        key = (request.script_root, endpoint, id_name, tuple(sorted(values.items())))
        parts = self._link_parts.get(key)
        if parts is None:
            placeholder = 2_147_483_647
            url = self.app.url_for(endpoint, **values, **{id_name: placeholder})
            parts = tuple(url.rsplit(str(placeholder), 1))
            if len(self._link_parts) > 1_000:
                self._link_parts.clear()
            self._link_parts[key] = parts  # type: ignore[assignment]
        return f"{parts[0]}{int(id_value):d}{parts[1]}"

    def clear(self) -> None:
        for cache in self.caches.values():
            cache.clear()


class _AppLoader(BaseLoader):
    """The app's own loader, looked up at each load (the benchmark swaps it after start)."""

    def __init__(self, app: Flask):
        self.app = app

    def get_source(self, environment, template):
        return self.app.jinja_env.loader.get_source(environment, template)

    def list_templates(self):
        return self.app.jinja_env.loader.list_templates()


def kept_environment(app: Flask, url_with_id: Callable) -> Environment:
    """The Jinja environment of kept templates: the app's loader, whitespace and escaping
    rules, gettext, pure filters and app-bound globals; no request, session, g, config,
    current_user or csrf_token; StrictUndefined."""
    from workspace.core.i18n import install_gettext

    source = app.jinja_env
    environment = Environment(loader=_AppLoader(app), autoescape=source.autoescape,
                              trim_blocks=source.trim_blocks,
                              lstrip_blocks=source.lstrip_blocks,
                              keep_trailing_newline=source.keep_trailing_newline,
                              auto_reload=source.auto_reload, undefined=StrictUndefined,
                              extensions=["jinja2.ext.i18n"])
    environment.policies.update(source.policies)
    install_gettext(environment)
    environment.filters.update({name: source.filters[name] for name in PURE_FILTERS
                                if name in source.filters})
    environment.globals.update({name: source.globals[name] for name in APP_GLOBALS
                                if name in source.globals})
    environment.globals["url_with_id"] = url_with_id
    return environment


_IMMUTABLE = (type(None), bool, int, float, str, bytes, date, datetime, time, Decimal, Enum,
              type)


def check_immutable(value, where: str) -> None:
    """Raise TypeError unless `value` cannot change behind its key: a list or an ORM object
    read by a kept template could show something its key does not hold."""
    if isinstance(value, (tuple, frozenset)):
        for item in value:
            check_immutable(item, where)
    elif not isinstance(value, _IMMUTABLE):
        raise TypeError(f"{where}: {type(value).__name__} is not an immutable value")


def _fragments() -> AppFragments:
    return current_app.extensions[EXTENSION]


def init_fragments(app: Flask) -> None:
    app.extensions[EXTENSION] = AppFragments(app)


def clear(app: Flask | None = None) -> None:
    """Forget every kept fragment of the app (tests compare with fresh renders)."""
    (app or current_app).extensions[EXTENSION].clear()
