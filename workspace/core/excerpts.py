"""Short excerpts of longer texts (activity, e-mails, search): the paragraphs and list items
stay on their own lines, and a text cut short ends with "…" at a word's end. Shown with
`white-space: pre-line` (class `excerpt`), so the lines are lines on the page too."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from workspace.core.markdown import render_markdown

_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
           "blockquote", "pre", "table", "tr", "hr"}
_SKIPPED = {"script", "style"}


class _TextOf(HTMLParser):
    """The text of sanitised HTML, a line per block, "• " before each list item."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("• ")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def text_of_html(html: str) -> str:
    parser = _TextOf()
    parser.feed(html or "")
    parser.close()
    return "".join(parser.parts)


def tidy_lines(text: str) -> str:
    """Spaces collapsed within each line; blank lines dropped (a paragraph is a line)."""
    lines = (" ".join(line.split()) for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)


def cut(text: str, limit: int) -> str:
    """`text` if it is short enough, else its beginning up to a word's end, then "…"."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    if not text[limit].isspace():
        head = re.sub(r"\S+$", "", head) or head
    return head.rstrip(" \n,;:•") + "…"


def excerpt_of_html(html: str, limit: int = 240) -> str:
    return cut(tidy_lines(text_of_html(html)), limit)


def excerpt_of_markdown(text: str, limit: int = 240) -> str:
    return excerpt_of_html(str(render_markdown(text or "")), limit)
