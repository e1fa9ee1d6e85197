"""Feeding XML to a callback target chunk by chunk through defusedxml: no tree is built, so
memory stays flat whatever the size of the part, and any DOCTYPE (the door to external
entities and "billion laughs") is refused before a single entity is expanded."""
from __future__ import annotations

from collections.abc import Iterable

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError, fromstring

from .common import ExtractionFailure
from .reasons import XML_DOCTYPE, XML_UNREADABLE

MAX_REPEAT = 1_000     # repeated cells or rows written out at most this many times
MAX_COLUMNS = 16_384   # the widest sheet LibreOffice or Excel can make
MAX_SPACES = 1_000     # <text:s text:c="..."/>


def feed(chunks: Iterable[bytes], target: object) -> None:
    parser = DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    try:
        for chunk in chunks:
            parser.feed(chunk)
        parser.close()
    except DefusedXmlException:
        raise ExtractionFailure(XML_DOCTYPE) from None
    except ParseError:
        raise ExtractionFailure(XML_UNREADABLE) from None


def parse_small(data: bytes):
    """A small part (workbook, relationships) as an element tree, with the same refusals."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ExtractionFailure(XML_DOCTYPE) from None
    except ParseError:
        raise ExtractionFailure(XML_UNREADABLE) from None


def local(tag: str) -> str:
    """'{urn:...:text:1.0}p' -> 'p'."""
    return tag.rpartition("}")[2]


def count(value: str | None, default: int = 1) -> int:
    """A repeat or space count from an attribute; garbage counts as the default."""
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    return number if number > 0 else default


class Row:
    """The cells of one spreadsheet row, written as tab-separated text. Runs of empty cells
    are kept as a number until a non-empty cell follows, so that the thousand empty cells
    that end most rows never exist; repeats are capped."""

    def __init__(self) -> None:
        self.cells: list[str] = []
        self.pending_empty = 0

    def add(self, text: str, repeat: int = 1) -> None:
        text = " ".join(text.split())  # tabs and newlines inside a cell would break the grid
        if not text:
            self.pending_empty += repeat
            return
        room = MAX_COLUMNS - len(self.cells)
        gap = min(self.pending_empty, MAX_REPEAT, room)
        self.cells.extend([""] * gap)
        self.pending_empty = 0
        self.cells.extend([text] * min(repeat, MAX_REPEAT, room - gap))

    def skip_to(self, column: int) -> None:
        """Align on an explicit column index (xlsx cell references)."""
        if column > len(self.cells) + self.pending_empty:
            self.pending_empty = column - len(self.cells)

    def line(self) -> str:
        return "\t".join(self.cells)


class Grid:
    """Writes rows to the sink, keeping blank rows between filled ones (capped) and
    dropping the blank rows that end a sheet."""

    def __init__(self, sink) -> None:
        self.sink = sink
        self.pending_blank = 0

    def add(self, row: Row, repeat: int = 1) -> None:
        line = row.line()
        if not line:
            self.pending_blank += repeat
            return
        self.sink.write("\n" * min(self.pending_blank, MAX_REPEAT))
        self.pending_blank = 0
        for _ in range(min(repeat, MAX_REPEAT)):
            self.sink.write(line + "\n")
