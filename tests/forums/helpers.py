"""Helpers of the forum tests: URLs, topics written through the service,
an SQL statement counter and a small HTML element finder."""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser

from sqlalchemy import event, func, select

from tests.documents.conftest import MINIMAL_PDF, png_bytes  # noqa: F401 - re-exported
from workspace.extensions import db
from workspace.forums import service
from workspace.forums.models import Post, Topic


def forum_url(network, path: str = "/") -> str:
    return f"/n/{network.slug}/forum{path}"


def start_topic(author, category, title: str = "Quota des boîtes partagées",
                body: str = "Quel quota mettez-vous ?") -> Post:
    """A topic written through the service (committed); returns its first post."""
    post = service.create_topic(author, category, title, body)
    db.session.commit()
    return post


def add_replies(topic: Topic, authors: list, count: int, body: str = "Réponse n° {n}"
                ) -> list[Post]:
    """`count` replies in turn from `authors`, committed."""
    posts = []
    for n in range(count):
        topic = db.session.get(Topic, topic.id)
        posts.append(service.reply(authors[n % len(authors)], topic, body.format(n=n + 2)))
    db.session.commit()
    return posts


def post_count(topic_id: int | None = None) -> int:
    query = select(func.count(Post.id))
    if topic_id is not None:
        query = query.where(Post.topic_id == topic_id)
    return db.session.scalar(query)


# --- SQL statements --------------------------------------------------------------------

@dataclass
class Statements:
    all: list[str] = field(default_factory=list)

    @property
    def writes(self) -> list[str]:
        return [s for s in self.all if re.match(r"\s*(INSERT|UPDATE|DELETE)\b", s, re.I)]

    def written_tables(self) -> set[str]:
        tables = set()
        for statement in self.writes:
            match = re.match(r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", statement,
                             re.I)
            tables.add(match.group(1) if match else statement)
        return tables

    def __len__(self) -> int:
        return len(self.all)


@contextmanager
def count_statements():
    """Every SQL statement sent through db.engine while the block runs (requests of the test
    client included: they share the engine)."""
    seen = Statements()

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.all.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


# --- HTML ------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _Collector(HTMLParser):
    """Elements (tag, attributes) of a page, those inside an element with `scope_class`
    only when it is given."""

    def __init__(self, scope_class: str | None):
        super().__init__(convert_charrefs=True)
        self.scope_class = scope_class
        self.stack: list[tuple[str, bool]] = []  # (tag, opens a scope)
        self.depth = 0
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def _inside(self) -> bool:
        return self.scope_class is None or self.depth > 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        opens = bool(self.scope_class) and self.scope_class in (attributes.get("class") or ""
                                                                ).split()
        if self._inside():
            self.found.append((tag, attributes))
        if tag in VOID:
            return
        self.stack.append((tag, opens))
        if opens:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self._inside():
            self.found.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, opened = self.stack.pop()
            if opened:
                self.depth -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._inside():
            self.text.append(data)


def elements(html: str, scope_class: str | None = None) -> list[tuple[str, dict]]:
    parser = _Collector(scope_class)
    parser.feed(html)
    parser.close()
    return parser.found


def text_within(html: str, scope_class: str) -> str:
    parser = _Collector(scope_class)
    parser.feed(html)
    parser.close()
    return "".join(parser.text)


def textarea_value(html: str, name: str = "body") -> str:
    """The text of a form's textarea, entities decoded."""
    import html as html_module

    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, f"no textarea {name!r} in the page"
    return html_module.unescape(match.group(1)).lstrip("\r\n")
