"""Documents as OpenDocument (odfpy): text (.odt) for agendas and minutes, spreadsheet
(.ods) for attendance sheets. Headings use the standard "Heading n" styles, so LibreOffice's
navigator and table of contents find them."""
from __future__ import annotations

from io import BytesIO

from odf import teletype
from odf.dc import Subject, Title
from odf.opendocument import OpenDocument, OpenDocumentSpreadsheet, OpenDocumentText
from odf.style import (
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TableRowProperties,
    TextProperties,
)
from odf.table import Table as OdfTable
from odf.table import TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import H, P

from workspace.exports.blocks import Document, Heading, ItemList, Paragraph, Table

TEXT_WIDTH_CM = 17.0
SHEET_WIDTH_CM = 16.0  # under the printable width: else the last column prints alone
HEADING_SIZES = {1: "17pt", 2: "13.5pt", 3: "12pt", 4: "11pt"}
BORDER = "0.5pt solid #000000"


def _style(document: OpenDocument, name: str, family: str, *properties,
           automatic: bool = True, **attributes) -> Style:
    style = Style(name=name, family=family, **attributes)
    for prop in properties:
        style.addElement(prop)
    (document.automaticstyles if automatic else document.styles).addElement(style)
    return style


def _meta(document: OpenDocument, source: Document) -> None:
    document.meta.addElement(Title(text=source.title))
    if source.subject:
        document.meta.addElement(Subject(text=source.subject))


def _save(document: OpenDocument) -> bytes:
    buffer = BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _paragraph(style: Style, text: str) -> P:
    paragraph = P(stylename=style)
    teletype.addTextToElement(paragraph, text)  # keeps line breaks and runs of spaces
    return paragraph


# --- text documents --------------------------------------------------------------------

class _TextStyles:
    def __init__(self, doc: OpenDocumentText):
        self.headings = {level: _style(
            doc, f"Heading_20_{level}", "paragraph",
            TextProperties(fontsize=size, fontweight="bold"),
            ParagraphProperties(margintop="0.35cm", marginbottom="0.15cm", keepwithnext="always"),
            automatic=False, displayname=f"Heading {level}", defaultoutlinelevel=str(level))
            for level, size in HEADING_SIZES.items()}
        body = ParagraphProperties(marginbottom="0.2cm")
        self.body = _style(doc, "Text_20_body", "paragraph", body, automatic=False,
                           displayname="Text body")
        self.meta = _style(doc, "Meta", "paragraph", TextProperties(color="#555555"))
        self.quote = _style(doc, "Quote", "paragraph", TextProperties(color="#555555"),
                            ParagraphProperties(marginleft="0.6cm"))
        self.code = _style(doc, "Code", "paragraph",
                           TextProperties(fontfamily="monospace", fontsize="9pt"),
                           ParagraphProperties(marginleft="0.4cm"))
        self.items = {depth: _style(doc, f"Item{depth}", "paragraph", ParagraphProperties(
            marginleft=f"{0.6 * (depth + 1):.1f}cm", textindent="-0.5cm")) for depth in range(5)}
        self.cell = _style(doc, "Cell", "table-cell",
                           TableCellProperties(border=BORDER, padding="0.08cm"))
        self.cell_heading = _style(doc, "CellHeading", "paragraph",
                                   TextProperties(fontweight="bold"))
        self.cell_text = _style(doc, "CellText", "paragraph")
        self.doc = doc
        self.tables = 0

    def table(self, block: Table) -> tuple[Style, list[Style], Style | None]:
        self.tables += 1
        number = self.tables
        table = _style(self.doc, f"Table{number}", "table",
                       TableProperties(width=f"{TEXT_WIDTH_CM}cm", align="margins"))
        widths = block.widths or [1.0] * len(block.header)
        columns = [_style(self.doc, f"Table{number}.C{index}", "table-column",
                          TableColumnProperties(relcolumnwidth=f"{round(width * 1000)}*"))
                   for index, width in enumerate(widths)]
        row = _style(self.doc, f"Table{number}.R", "table-row", TableRowProperties(
            minrowheight=f"{block.row_height / 10:.2f}cm")) if block.row_height else None
        return table, columns, row


def _text_table(styles: _TextStyles, block: Table) -> OdfTable:
    table_style, column_styles, row_style = styles.table(block)
    table = OdfTable(name=f"Tableau{styles.tables}", stylename=table_style)
    for column_style in column_styles:
        table.addElement(TableColumn(stylename=column_style))
    width = len(block.header)

    def row_of(cells: list[str], heading: bool) -> TableRow:
        row = TableRow(stylename=row_style) if row_style and not heading else TableRow()
        for text in (list(cells) + [""] * width)[:width]:
            cell = TableCell(valuetype="string", stylename=styles.cell)
            cell.addElement(_paragraph(styles.cell_heading if heading else styles.cell_text,
                                       text))
            row.addElement(cell)
        return row

    header = TableHeaderRows()
    header.addElement(row_of(block.header, heading=True))
    table.addElement(header)
    for cells in block.rows:
        table.addElement(row_of(cells, heading=False))
    return table


def render_odt(source: Document) -> bytes:
    doc = OpenDocumentText()
    _meta(doc, source)
    styles = _TextStyles(doc)
    for block in source.blocks:
        if isinstance(block, Heading):
            heading = H(outlinelevel=block.level, stylename=styles.headings[block.level])
            teletype.addTextToElement(heading, block.text)
            doc.text.addElement(heading)
        elif isinstance(block, Paragraph):
            style = {"meta": styles.meta, "quote": styles.quote,
                     "code": styles.code}.get(block.style, styles.body)
            doc.text.addElement(_paragraph(style, block.text))
        elif isinstance(block, ItemList):
            for item in block.items:
                label = f"{item.marker}\t{item.text}" if item.marker else f"\t{item.text}"
                doc.text.addElement(_paragraph(styles.items[min(item.depth, 4)], label))
        elif isinstance(block, Table):
            doc.text.addElement(_text_table(styles, block))
    return _save(doc)


# --- spreadsheets ----------------------------------------------------------------------

def render_ods(source: Document) -> bytes:
    """One sheet: the title lines on top, then the document's table(s) with a bold header."""
    doc = OpenDocumentSpreadsheet()
    _meta(doc, source)
    bold = _style(doc, "Bold", "table-cell", TextProperties(fontweight="bold"))
    title = _style(doc, "TitleCell", "table-cell", TextProperties(fontweight="bold",
                                                                  fontsize="14pt"))
    boxed = _style(doc, "Boxed", "table-cell", TableCellProperties(border=BORDER))
    boxed_bold = _style(doc, "BoxedBold", "table-cell", TableCellProperties(border=BORDER),
                        TextProperties(fontweight="bold"))
    tables = [block for block in source.blocks if isinstance(block, Table)]
    sheet = OdfTable(name=(tables[0].name if tables and tables[0].name else source.title)[:31])
    widths = (tables[0].widths or [1.0] * len(tables[0].header)) if tables else [1.0]
    for index, width in enumerate(widths):
        column = _style(doc, f"Col{index}", "table-column", TableColumnProperties(
            columnwidth=f"{SHEET_WIDTH_CM * width / sum(widths):.2f}cm"))
        sheet.addElement(TableColumn(stylename=column))
    tall = None

    def add_row(cells: list[str], style: Style | None, row_style: Style | None = None) -> None:
        row = TableRow(stylename=row_style) if row_style else TableRow()
        for text in cells:
            cell = TableCell(valuetype="string", stylename=style) if style else \
                TableCell(valuetype="string")
            paragraph = P()
            teletype.addTextToElement(paragraph, text)
            cell.addElement(paragraph)
            row.addElement(cell)
        sheet.addElement(row)

    for block in source.blocks:
        if isinstance(block, Heading):
            add_row([block.text], title if block.level == 1 else bold)
        elif isinstance(block, Paragraph):
            add_row([block.text], None)
        elif isinstance(block, ItemList):
            for item in block.items:
                add_row([f"{item.marker} {item.text}".strip()], None)
        elif isinstance(block, Table):
            if block.row_height and tall is None:
                tall = _style(doc, "Tall", "table-row", TableRowProperties(
                    rowheight=f"{block.row_height / 10:.2f}cm", useoptimalrowheight="false"))
            add_row([""], None)  # a blank line before the table
            add_row(block.header, boxed_bold)
            width = len(block.header)
            for cells in block.rows:
                add_row((list(cells) + [""] * width)[:width], boxed,
                        tall if block.row_height else None)
    doc.spreadsheet.addElement(sheet)
    return _save(doc)
