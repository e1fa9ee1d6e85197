"""OpenDocument text, spreadsheets and presentations: the text of content.xml.

Text documents give one page; spreadsheets one page per table:table (cells separated by
tabs, rows by newlines); presentations one page per draw:page. Deleted text kept for change
tracking, comments, speaker notes and image descriptions are left out.
"""
from __future__ import annotations

from .common import ExtractionFailure, PageSink
from .reasons import PROTECTED
from .xmlstream import MAX_SPACES, Grid, Row, count, feed
from .zipguard import GuardedZip

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"

PARAGRAPHS = {TEXT + "p", TEXT + "h"}
CELLS = {TABLE + "table-cell", TABLE + "covered-table-cell"}
SKIPPED = {TEXT + "tracked-changes", TEXT + "note-citation", OFFICE + "annotation",
           PRESENTATION + "notes", SVG + "title", SVG + "desc"}
MAX_MANIFEST = 1024**2

TEXT_DOCUMENT, SPREADSHEET, PRESENTATION_DOCUMENT = "text", "spreadsheet", "presentation"


def extract_odf(path: str, sink: PageSink, limits: dict, kind: str) -> None:
    with GuardedZip(path, limits) as archive:
        if archive.has("META-INF/manifest.xml"):
            manifest = archive.read("META-INF/manifest.xml", MAX_MANIFEST)
            if b"encryption-data" in manifest:
                raise ExtractionFailure(PROTECTED)
        feed(archive.stream("content.xml"), OdfText(sink, kind))


class OdfText:
    """Callback target for content.xml."""

    def __init__(self, sink: PageSink, kind: str) -> None:
        self.sink = sink
        self.kind = kind
        self.paragraph_depth = 0
        self.skip_depth = 0
        self.cell: list[str] | None = None
        self.cell_size = 0
        self.cell_repeat = 1
        self.row: Row | None = None
        self.row_repeat = 1
        self.grid: Grid | None = None
        if kind == TEXT_DOCUMENT:
            sink.new_page()

    def write(self, text: str) -> None:
        if self.cell is not None:
            # A cell cannot hold more than the whole budget: beyond, drop the text.
            self.cell_size += len(text)
            if self.cell_size <= self.sink.max_chars:
                self.cell.append(text)
            else:
                self.sink.truncated = True
        else:
            self.sink.write(text)

    def start(self, tag: str, attrib: dict) -> None:
        if self.skip_depth or tag in SKIPPED:
            self.skip_depth += 1
        elif tag in PARAGRAPHS:
            self.paragraph_depth += 1
        elif tag == TEXT + "s":
            self.write(" " * min(count(attrib.get(TEXT + "c")), MAX_SPACES))
        elif tag == TEXT + "tab":
            self.write("\t")
        elif tag == TEXT + "line-break":
            self.write("\n")
        elif self.kind == PRESENTATION_DOCUMENT and tag == DRAW + "page":
            self.sink.new_page()
        elif self.kind == SPREADSHEET:
            self._start_table_part(tag, attrib)

    def _start_table_part(self, tag: str, attrib: dict) -> None:
        if tag == TABLE + "table":
            self.sink.new_page()
            self.grid = Grid(self.sink)
        elif tag == TABLE + "table-row":
            self.row = Row()
            self.row_repeat = count(attrib.get(TABLE + "number-rows-repeated"))
        elif tag in CELLS and self.row is not None:
            self.cell, self.cell_size = [], 0
            self.cell_repeat = count(attrib.get(TABLE + "number-columns-repeated"))

    def end(self, tag: str) -> None:
        if self.skip_depth:
            self.skip_depth -= 1
        elif tag in PARAGRAPHS:
            self.paragraph_depth -= 1
            self.write("\n")
        elif self.kind != SPREADSHEET:
            return
        elif tag in CELLS and self.cell is not None and self.row is not None:
            self.row.add("".join(self.cell), self.cell_repeat)
            self.cell = None
        elif tag == TABLE + "table-row" and self.row is not None and self.grid is not None:
            self.grid.add(self.row, self.row_repeat)
            self.row = None

    def data(self, text: str) -> None:
        if self.paragraph_depth and not self.skip_depth:
            self.write(text)

    def close(self) -> None:
        return None
