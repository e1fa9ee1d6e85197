"""Documents as PDF (fpdf2), A4 portrait.

fpdf2 ships no Unicode font: DejaVu Sans comes from the system (Debian's fonts-dejavu-core,
folder set by EXPORTS_FONT_DIR). Without it the core Helvetica is used, whose Latin-1
covers French accents (é è à ç ô); the few characters outside it (’ « œ – …) are
transliterated rather than lost.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from workspace.exports.blocks import Document, Heading, ItemList, Paragraph, Table

DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
HEADING_SIZES = {1: 17, 2: 13.5, 3: 12, 4: 11}
BODY_SIZE = 10.5
LINE = 5.2  # millimetres per line of body text
GREY = 90

_LATIN1_SUBSTITUTES = str.maketrans({
    "‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-",
    "‑": "-", "…": "...", "•": "-", "œ": "oe", "Œ": "OE", "€": "EUR", "\u202f": " ",
    "\u2009": " ", "\u200b": "", "→": "->", "✓": "x",
})


def latin1_safe(text: str) -> str:
    """Text that the core PDF fonts can draw: Latin-1 kept as is (accents included), known
    typographic signs replaced, other letters stripped of their accents, the rest '?'."""
    out = []
    for char in text.translate(_LATIN1_SUBSTITUTES):
        if ord(char) < 256:
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore")
            out.append(base.decode("latin-1") or "?")
    return "".join(out)


class _Pdf(FPDF):
    def __init__(self, document: Document):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.document = document
        self.family, self.mono, self.clean = self._load_fonts()
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(document.title)
        self.set_subject(document.subject)
        self.set_creator(current_app.config.get("SITE_NAME", "Tilt"))
        self.set_lang("fr")

    def _load_fonts(self) -> tuple[str, str, Callable[[str], str]]:
        folder = Path(current_app.config.get("EXPORTS_FONT_DIR") or DEFAULT_FONT_DIR)
        regular, bold, mono = (folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf",
                               folder / "DejaVuSansMono.ttf")
        if not regular.is_file():
            current_app.logger.warning("no DejaVu font in %s: PDF in Helvetica (Latin-1)",
                                       folder)
            return "Helvetica", "Courier", latin1_safe
        self.add_font("DejaVu", "", regular)
        self.add_font("DejaVu", "B", bold if bold.is_file() else regular)
        if mono.is_file():
            self.add_font("DejaVuMono", "", mono)
        return "DejaVu", "DejaVuMono" if mono.is_file() else "DejaVu", str

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, size=8)
        self.set_text_color(GREY)
        label = _("%(title)s · page %(page)s sur %(pages)s", title=self.document.title,
                  page=self.page_no(), pages="{nb}")
        self.cell(0, 6, self.clean(label), align="C")
        self.set_text_color(0)

    def write_lines(self, text: str, size: float = BODY_SIZE, style: str = "",
                    indent: float = 0, family: str | None = None) -> None:
        self.set_font(family or self.family, style, size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, size * 0.5, self.clean(text), align="L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def draw_heading(self, block: Heading) -> None:
        size = HEADING_SIZES.get(block.level, BODY_SIZE)
        if block.level > 1:
            self.ln(3)
            if self.will_page_break(size + 2 * LINE):  # keep a heading with what follows
                self.add_page()
        self.write_lines(block.text, size, "B")
        self.ln(1.5)

    def draw_paragraph(self, block: Paragraph) -> None:
        if block.style == "meta":
            self.set_text_color(GREY)
            self.write_lines(block.text, 10)
            self.set_text_color(0)
            return
        if block.style == "code":
            self.write_lines(block.text, 9, indent=4, family=self.mono)
        elif block.style == "quote":
            self.set_text_color(GREY)
            self.write_lines(block.text, indent=6)
            self.set_text_color(0)
        else:
            self.write_lines(block.text)
        self.ln(1.5)

    def draw_list(self, block: ItemList) -> None:
        for item in block.items:
            self.set_font(self.family, "", BODY_SIZE)
            self.set_x(self.l_margin + 6 * item.depth)
            self.cell(7, LINE, self.clean(item.marker))
            self.multi_cell(0, LINE, self.clean(item.text), align="L",
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def draw_table(self, block: Table) -> None:
        width = len(block.header)
        self.set_font(self.family, "", 9.5)
        self.ln(2)
        with self.table(col_widths=tuple(block.widths) or None, text_align="LEFT",
                        line_height=LINE, padding=1.2, v_align="TOP",
                        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
                        ) as grid:
            for number, cells in enumerate([block.header, *block.rows]):
                row = grid.row(min_height=block.row_height if number else None)
                for text in (list(cells) + [""] * width)[:width]:
                    row.cell(self.clean(text))
        self.ln(3)


def render_pdf(document: Document) -> bytes:
    pdf = _Pdf(document)
    pdf.add_page()
    draw = {Heading: pdf.draw_heading, Paragraph: pdf.draw_paragraph, ItemList: pdf.draw_list,
            Table: pdf.draw_table}
    for block in document.blocks:
        draw[type(block)](block)
    return bytes(pdf.output())
