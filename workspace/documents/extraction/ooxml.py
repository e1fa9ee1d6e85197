"""Office Open XML: Word documents (word/document.xml, one page), PowerPoint presentations
(ppt/slides/slideN.xml in numeric order, one page per slide) and Excel workbooks (shared
strings, then each worksheet in workbook order, one page per sheet).

Elements are matched by local name, so that "strict" OOXML, whose namespaces differ, reads
the same. Deleted revisions (w:delText), field codes (w:instrText) and the fallback copies
of mc:AlternateContent are left out.
"""
from __future__ import annotations

import posixpath
import re

from .common import ExtractionFailure, PageSink
from .reasons import ZIP_MISSING_PART
from .xmlstream import MAX_COLUMNS, Grid, Row, count, feed, local, parse_small
from .zipguard import GuardedZip

MAX_SMALL_PART = 16 * 1024**2  # workbook.xml and its relationships
SLIDE = re.compile(r"ppt/slides/slide(\d+)\.xml")
WORKSHEET = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
CELL_REFERENCE = re.compile(r"([A-Z]{1,3})\d*")


class RunText:
    """Callback target for word/document.xml and slides: text of w:t / a:t, a newline
    after each paragraph, tabs and breaks inside runs."""

    def __init__(self, sink: PageSink) -> None:
        self.sink = sink
        self.text_depth = 0
        self.run_depth = 0
        self.skip_depth = 0

    def start(self, tag: str, attrib: dict) -> None:
        name = local(tag)
        if self.skip_depth or name == "Fallback":
            self.skip_depth += 1
        elif name == "t":
            self.text_depth += 1
        elif name == "r":
            self.run_depth += 1
        elif self.run_depth and name in ("tab", "ptab"):  # not the tab stops of w:tabs
            self.sink.write("\t")
        elif name == "br" or (self.run_depth and name == "cr"):
            self.sink.write("\n")
        elif self.run_depth and name == "noBreakHyphen":
            self.sink.write("-")

    def end(self, tag: str) -> None:
        name = local(tag)
        if self.skip_depth:
            self.skip_depth -= 1
        elif name == "t":
            self.text_depth -= 1
        elif name == "r":
            self.run_depth -= 1
        elif name == "p":
            self.sink.write("\n")

    def data(self, text: str) -> None:
        if self.text_depth and not self.skip_depth:
            self.sink.write(text)

    def close(self) -> None:
        return None


def extract_docx(path: str, sink: PageSink, limits: dict) -> None:
    with GuardedZip(path, limits) as archive:
        sink.new_page()
        feed(archive.stream("word/document.xml"), RunText(sink))


def extract_pptx(path: str, sink: PageSink, limits: dict) -> None:
    with GuardedZip(path, limits) as archive:
        slides = _numbered(archive.names(), SLIDE)
        if not slides:
            raise ExtractionFailure(ZIP_MISSING_PART)
        for name in slides:
            sink.new_page()
            feed(archive.stream(name), RunText(sink))


def extract_xlsx(path: str, sink: PageSink, limits: dict) -> None:
    with GuardedZip(path, limits) as archive:
        sheets = _worksheets_in_order(archive)
        if not sheets:
            raise ExtractionFailure(ZIP_MISSING_PART)
        strings: list[str] = []
        if archive.has("xl/sharedStrings.xml"):
            feed(archive.stream("xl/sharedStrings.xml"), SharedStrings(strings, sink))
        for name in sheets:
            sink.new_page()
            feed(archive.stream(name), Worksheet(sink, strings))


def _worksheets_in_order(archive: GuardedZip) -> list[str]:
    """Sheets in the order of xl/workbook.xml through its relationships; when either part is
    missing or odd, the xl/worksheets/sheetN.xml parts in numeric order."""
    fallback = _numbered(archive.names(), WORKSHEET)
    rels_name = "xl/_rels/workbook.xml.rels"
    if not (archive.has("xl/workbook.xml") and archive.has(rels_name)):
        return fallback
    workbook = parse_small(archive.read("xl/workbook.xml", MAX_SMALL_PART))
    rels = parse_small(archive.read(rels_name, MAX_SMALL_PART))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels
               if local(rel.tag) == "Relationship"}
    ordered = []
    for sheet in workbook.iter():
        if local(sheet.tag) != "sheet":
            continue
        rel_id = next((value for key, value in sheet.attrib.items() if local(key) == "id"), None)
        target = targets.get(rel_id, "")
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        if archive.has(name):
            ordered.append(name)
    return ordered or fallback


def _numbered(names: list[str], pattern: re.Pattern) -> list[str]:
    """The names that match ``pattern``, sorted by the number it captures (slide2 < slide10)."""
    found = []
    for name in names:
        match = pattern.fullmatch(name)
        if match:
            found.append((int(match[1]), name))
    return [name for _, name in sorted(found)]


class SharedStrings:
    """Callback target for xl/sharedStrings.xml: one string per si, phonetic runs left
    out. The table is capped at twice the output budget: beyond, strings read as empty and
    the result is marked truncated."""

    def __init__(self, strings: list[str], sink: PageSink) -> None:
        self.strings = strings
        self.sink = sink
        self.room = 2 * sink.max_chars
        self.parts: list[str] = []
        self.text_depth = 0
        self.phonetic_depth = 0

    def start(self, tag: str, attrib: dict) -> None:
        name = local(tag)
        if name == "si":
            self.parts = []
        elif name == "t":
            self.text_depth += 1
        elif name == "rPh":
            self.phonetic_depth += 1

    def end(self, tag: str) -> None:
        name = local(tag)
        if name == "si":
            text = "".join(self.parts)
            self.room -= len(text)
            if self.room < 0:
                text, self.sink.truncated = "", True
            self.strings.append(text)
        elif name == "t":
            self.text_depth -= 1
        elif name == "rPh":
            self.phonetic_depth -= 1

    def data(self, text: str) -> None:
        if self.text_depth and not self.phonetic_depth and self.room > 0:
            self.parts.append(text)

    def close(self) -> None:
        return None


class Worksheet:
    """Callback target for xl/worksheets/sheetN.xml: shared and inline strings, other
    values (numbers, booleans, formula results) as written in the file."""

    def __init__(self, sink: PageSink, strings: list[str]) -> None:
        self.strings = strings
        self.grid = Grid(sink)
        self.row: Row | None = None
        self.row_number = 0
        self.cell_type = ""
        self.value: list[str] = []
        self.value_room = sink.max_chars
        self.collecting = False

    def start(self, tag: str, attrib: dict) -> None:
        name = local(tag)
        if name == "row":
            number = count(attrib.get("r"), self.row_number + 1)
            if self.row_number and number > self.row_number + 1:
                self.grid.pending_blank += number - self.row_number - 1
            self.row_number = number
            self.row = Row()
        elif name == "c" and self.row is not None:
            self.cell_type = attrib.get("t", "n")
            self.value, self.value_room = [], self.grid.sink.max_chars
            column = _column_index(attrib.get("r", ""))
            if column is not None:
                self.row.skip_to(column)
        elif name in ("v", "t") and self.row is not None:
            self.collecting = True

    def end(self, tag: str) -> None:
        name = local(tag)
        if name in ("v", "t"):
            self.collecting = False
        elif name == "c" and self.row is not None:
            self.row.add(self._cell_text())
        elif name == "row" and self.row is not None:
            self.grid.add(self.row)
            self.row = None

    def _cell_text(self) -> str:
        text = "".join(self.value)
        if self.cell_type == "s":
            try:
                return self.strings[int(text)]
            except (ValueError, IndexError):
                return ""
        return text

    def data(self, text: str) -> None:
        if self.collecting and self.value_room > 0:
            self.value.append(text)
            self.value_room -= len(text)

    def close(self) -> None:
        return None


def _column_index(reference: str) -> int | None:
    """'C12' -> 2."""
    match = CELL_REFERENCE.match(reference)
    if not match:
        return None
    index = 0
    for letter in match[1]:
        index = index * 26 + ord(letter) - ord("A") + 1
    return min(index - 1, MAX_COLUMNS)
