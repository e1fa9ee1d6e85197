"""Plain text, Markdown, CSV and HTML.

Bytes are read as UTF-8 (with or without a byte-order mark), as UTF-16 when a byte-order
mark says so, and otherwise as Windows-1252, the encoding of most French files that are
not UTF-8. Reading is chunked and stops when the output budget is spent, so a 200 MB file
is never decoded whole.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

from .common import PageSink

CHUNK_CHARS = 256 * 1024
FALLBACK = "cp1252"
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def extract_plain(path: str, sink: PageSink, limits: dict) -> None:
    def copy(chunks: Iterator[str]) -> None:
        for chunk in chunks:
            sink.write(chunk)

    sink.new_page()
    _decode_with_fallback(path, sink, copy)


def extract_html(path: str, sink: PageSink, limits: dict) -> None:
    def parse(chunks: Iterator[str]) -> None:
        parser = HtmlText(sink)
        for chunk in chunks:
            parser.feed(chunk)
        parser.close()

    sink.new_page()
    _decode_with_fallback(path, sink, parse, html=True)


def _decode_with_fallback(path: str, sink: PageSink, consume: Callable[[Iterator[str]], object],
                          html: bool = False) -> None:
    """Run ``consume`` over the decoded text; if the bytes turn out not to be valid in the
    encoding first guessed, start again from scratch with the fallback encoding."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    encoding = _encoding_from_bom(head) or "utf-8"
    try:
        consume(_chunks(path, encoding, "replace" if encoding == "utf-16" else "strict"))
    except UnicodeDecodeError:
        sink.reset()
        sink.new_page()
        consume(_chunks(path, (html and _declared_charset(head)) or FALLBACK, "replace"))


def _encoding_from_bom(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _declared_charset(head: bytes) -> str | None:
    """The charset of a <meta> tag, when Python knows it and it is not the UTF-8 that just
    failed."""
    match = META_CHARSET.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match[1].decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    return None if name == "utf-8" else name


def _chunks(path: str, encoding: str, errors: str) -> Iterator[str]:
    # newline=None turns \r\n and \r into \n, also across chunk boundaries.
    with open(path, encoding=encoding, errors=errors, newline=None) as handle:
        while chunk := handle.read(CHUNK_CHARS):
            yield chunk


BLOCKS = frozenset([
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "thead", "tfoot", "title", "tr", "ul"])
CELLS = frozenset({"td", "th"})
# Only the elements whose content html.parser reads raw up to their end tag: an unclosed
# <template> or <noscript> must not hide the rest of the page.
HIDDEN = frozenset({"script", "style"})
HTML_SPACES = re.compile(r"[ \t\n\r\f]+")  # not \s: a no-break space is meant to stay
REPEATED_SPACES = re.compile(r" {2,}")
AROUND_TABS = re.compile(r" *\t *")
MAX_LINE_PIECES = 4096  # a page without any block element is written out as it comes


class HtmlText(HTMLParser):
    """Visible text: script and style skipped, one line per block element, tabs between
    table cells, whitespace collapsed as a browser would except inside <pre>."""

    def __init__(self, sink: PageSink) -> None:
        super().__init__(convert_charrefs=True)
        self.sink = sink
        self.line: list[str] = []
        self.hidden = False
        self.pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in HIDDEN:
            self.hidden = True
        elif tag == "br":
            self._end_line()
        elif tag in BLOCKS:
            self._end_line()
            if tag == "pre":
                self.pre_depth += 1
        elif tag in CELLS and self.line:
            self.line.append("\t")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in ("br", "hr"):
            self._end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = False
        elif tag in BLOCKS:
            self._end_line()
            if tag == "pre" and self.pre_depth:
                self.pre_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.line.append(data if self.pre_depth else HTML_SPACES.sub(" ", data))
        if len(self.line) > MAX_LINE_PIECES:
            self._end_line(newline=False)

    def close(self) -> None:
        super().close()
        self._end_line()

    def _end_line(self, newline: bool = True) -> None:
        text = "".join(self.line)
        self.line = []
        if not self.pre_depth:
            text = AROUND_TABS.sub("\t", REPEATED_SPACES.sub(" ", text)).strip(" ")
        if text.strip():
            self.sink.write(text + "\n" if newline else text)
