"""HTML fragments rendered once and kept in this process, keyed by everything they show.

For pieces that many requests render identically (a network's tabs, a forum post): the key
names every input of the fragment, so a change finds another entry and nothing needs to be
invalidated; the least recently used entries go when the cache is full. Each worker process
has its own cache (a few MB at most).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable

from flask import current_app


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
