"""HTML fragments rendered once and kept in this process, keyed by everything they show.

For pieces that many requests render identically (a network's tabs, a forum post): the key
names every input of the fragment, so a change finds another entry and nothing needs to be
invalidated; the least recently used entries go when the cache is full. Each worker process
has its own cache (a few MB at most). Values that differ per reader and nothing else (the
CSRF token) are kept as a placeholder and substituted when the fragment is served.
"""
from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from typing import Callable, Hashable

from flask import current_app
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup


class FragmentCache:
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

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> str:
        html = self.get(key)
        return html if html is not None else self.put(key, render())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def app_key() -> str:
    """Part of every key: tests (and odd deployments) run several apps in one process."""
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


# In kept HTML the reader's CSRF token is this placeholder (unguessable: never in content),
# replaced by the real token each time the fragment is served.
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"


def with_csrf_token(html: str) -> Markup:
    """Kept HTML with this reader's CSRF token in place of the placeholder."""
    if CSRF_PLACEHOLDER not in html:
        return Markup(html)
    return Markup(html.replace(CSRF_PLACEHOLDER, generate_csrf()))


def render_kept(cache: FragmentCache, key: tuple, template_name: str,
                make_context: Callable[[], dict] | None = None, **context) -> Markup:
    """`template_name` rendered with `context` (plus `make_context()`, called only when
    rendering, and `csrf_value`, the placeholder), kept under `key` + the application and
    the language. The key must name every other input: the template sees neither `request`
    nor `current_user`, only what it is given."""
    full_key = (app_key(), str(get_locale()), template_name, key)
    html = cache.get(full_key)
    if html is None:
        if make_context is not None:
            context.update(make_context())
        html = current_app.jinja_env.get_template(template_name).render(
            csrf_value=CSRF_PLACEHOLDER, **context)
        if generate_csrf() in html:  # csrf_token() called: this reader's token, never kept
            return Markup(html)
        cache.put(full_key, html)
    return with_csrf_token(html)
