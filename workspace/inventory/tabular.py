"""Spreadsheet files in and out: CSV (UTF-8 with or without BOM, Windows-1252/Latin-1; `;`,
`,` or tab separated) and OpenDocument spreadsheets (.ods).

Reading turns a file into numbered rows of text cells (`Sheet`) or a French message; it never
raises on a bad file. ODS content is parsed with defusedxml after the archive's sizes are
checked, so a hostile file cannot expand without limit. Writing produces files a spreadsheet
opens safely: text that would start a formula is neutralised."""
from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from flask_babel import gettext as _
from odf import teletype
from odf.number import DateStyle, Day, Month, Text, Year
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableCellProperties, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P

from workspace.inventory.values import neutralise

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_CONTENT_BYTES = 30 * 1024 * 1024  # content.xml once decompressed
MAX_ROWS = 5000
MAX_COLUMNS = 40
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
FORMULA = "\x00formula"  # marks an ODS cell holding a formula


@dataclass
class Sheet:
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line number, cells)
    error: str | None = None


def read_table(data: bytes) -> Sheet:
    """An uploaded file, whatever its name says: a zip is read as ODS, the rest as CSV."""
    if len(data) > MAX_FILE_BYTES:
        return Sheet(error=_("Le fichier dépasse 2 Mo. Découpez-le en plusieurs fichiers."))
    if not data.strip():
        return Sheet(error=_("Le fichier est vide."))
    if data.startswith(b"PK\x03\x04"):
        return _read_ods(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return Sheet(error=_("C'est un classeur Excel ancien (.xls). Enregistrez-le au format "
                             "ODS ou « CSV UTF-8 », puis recommencez."))
    return _read_csv(data)


# --- CSV -------------------------------------------------------------------------------

def _decode(data: bytes) -> str | None:
    """UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252, else Latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "latin-1" and any("\x80" <= c <= "\x9f" for c in text):
            return None  # C1 control characters: not a text file in a Western encoding
        return text
    return None


def _read_csv(data: bytes) -> Sheet:
    text = _decode(data)
    if text is None:
        return Sheet(error=_(
            "Le fichier n'est pas un texte CSV lisible (encodage inconnu, ou fichier binaire). "
            "Dans votre tableur, choisissez « Enregistrer sous » puis « CSV UTF-8 » ou le "
            "format ODS."))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first.count)
    sheet = Sheet()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous_line = 0
    try:
        for cells in reader:
            start, previous_line = previous_line + 1, reader.line_num
            cells = [cell.strip() for cell in cells]
            if any(cells):
                if len(sheet.rows) > MAX_ROWS or len(cells) > MAX_COLUMNS:
                    return _too_big()
                sheet.rows.append((start, cells))
    except csv.Error as error:
        return Sheet(error=_("Le fichier CSV est mal formé vers la ligne %(line)d (%(detail)s). "
                             "Vérifiez les guillemets.", line=previous_line + 1,
                             detail=str(error)))
    return sheet


def _too_big() -> Sheet:
    return Sheet(error=_("Le fichier compte plus de %(rows)d lignes ou de %(cols)d colonnes. "
                         "Découpez-le en plusieurs fichiers.", rows=MAX_ROWS, cols=MAX_COLUMNS))


# --- ODS -------------------------------------------------------------------------------

def _not_ods() -> Sheet:
    return Sheet(error=_("Le fichier n'est pas un classeur ODS lisible. Enregistrez-le au "
                         "format ODS (LibreOffice) ou « CSV UTF-8 », puis recommencez."))


def _read_ods(data: bytes) -> Sheet:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return Sheet(error=_("C'est un classeur Excel (.xlsx). Enregistrez-le au "
                                     "format ODS ou « CSV UTF-8 », puis recommencez."))
            if "mimetype" not in names or "content.xml" not in names:
                return _not_ods()
            if archive.read("mimetype").strip() != ODS_MIMETYPE.encode():
                return _not_ods()
            if archive.getinfo("content.xml").file_size > MAX_CONTENT_BYTES:
                return _too_big()
            with archive.open("content.xml") as stream:
                content = stream.read(MAX_CONTENT_BYTES + 1)
            if len(content) > MAX_CONTENT_BYTES:
                return _too_big()
        root = ElementTree.fromstring(content, forbid_dtd=True)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError,
            EOFError, ElementTree.ParseError, DefusedXmlException, RuntimeError):
        return _not_ods()
    table = root.find(".//table:table", NS)
    if table is None:
        return Sheet(error=_("Le classeur ne contient aucune feuille."))
    return _ods_rows(table)


def _attr(element, prefix: str, name: str) -> str | None:
    return element.get(f"{{{NS[prefix]}}}{name}")


def _ods_rows(table) -> Sheet:
    sheet, line = Sheet(), 0
    for row in table.iter(f"{{{NS['table']}}}table-row"):
        repeat = _repeat(row, "number-rows-repeated")
        cells = _ods_cells(row)
        if cells is None:
            return _too_big()
        if not any(cells):
            line += repeat  # blank rows (often repeated to the sheet's end) count, but only once
            continue
        for _index in range(min(repeat, MAX_ROWS + 1)):
            line += 1
            sheet.rows.append((line, list(cells)))
            if len(sheet.rows) > MAX_ROWS:
                return _too_big()
    return sheet


def _repeat(element, name: str) -> int:
    try:
        return max(1, int(_attr(element, "table", name) or 1))
    except ValueError:
        return 1


def _ods_cells(row) -> list[str] | None:
    cells: list[str] = []
    for cell in row:
        if cell.tag not in (f"{{{NS['table']}}}table-cell",
                            f"{{{NS['table']}}}covered-table-cell"):
            continue
        value = _ods_value(cell)
        repeat = _repeat(cell, "number-columns-repeated")
        if value == "":  # trailing empty cells are repeated up to 1024 columns: cap them
            cells.extend([""] * min(repeat, MAX_COLUMNS + 1))
        elif len(cells) + repeat > MAX_COLUMNS:
            return None
        else:
            cells.extend([value] * repeat)
    while cells and cells[-1] == "":
        cells.pop()
    return None if len(cells) > MAX_COLUMNS else cells


def _ods_value(cell) -> str:
    """A cell's value as text: numbers as "1234.5", dates ISO, formulas marked."""
    if _attr(cell, "table", "formula"):
        return FORMULA
    kind = _attr(cell, "office", "value-type")
    if kind in ("float", "currency", "percentage"):
        return _attr(cell, "office", "value") or ""
    if kind == "date":
        return (_attr(cell, "office", "date-value") or "")[:10]
    if kind == "boolean":
        return _attr(cell, "office", "boolean-value") or ""
    paragraphs = cell.findall("text:p", NS)
    return "\n".join(_text_of(p) for p in paragraphs).strip()


def _text_of(element) -> str:
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "s":
            parts.append(" " * min(_int(_attr(child, "text", "c")), 100))
        elif tag == "tab":
            parts.append("\t")
        elif tag == "line-break":
            parts.append("\n")
        else:
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _int(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


# --- writing ---------------------------------------------------------------------------

def write_csv(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 with BOM, `;`, CRLF: what French Excel opens right. Dates dd/mm/yyyy, numbers
    with a decimal comma, text neutralised against formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


@dataclass(frozen=True)
class Money:
    """An amount cell: integer cents."""
    cents: int


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Money):
        euros, cents = divmod(value.cents, 100)
        return f"{euros},{cents:02d}"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def write_ods(sheet_name: str, header: list[str], rows: list[list]) -> bytes:
    """Typed cells: text is always a string cell (never a formula), amounts are currency
    cells, dates are date cells."""
    doc = OpenDocumentSpreadsheet()
    bold = Style(name="Header", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    bold.addElement(TableCellProperties(backgroundcolor="#e9ecef"))
    wide = Style(name="Wide", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="4cm"))
    for style in (bold, wide):
        doc.automaticstyles.addElement(style)
    date_format = DateStyle(name="DateFR")
    for part in (Day(style="long"), Text(text="/"), Month(style="long"), Text(text="/"),
                 Year(style="long")):
        date_format.addElement(part)
    doc.automaticstyles.addElement(date_format)
    dated = Style(name="Dated", family="table-cell", datastylename="DateFR")
    doc.automaticstyles.addElement(dated)
    table = Table(name=sheet_name[:31])
    table.addElement(TableColumn(stylename=wide, numbercolumnsrepeated=len(header)))
    table.addElement(_ods_row(header, bold, dated))
    for row in rows:
        table.addElement(_ods_row(row, None, dated))
    doc.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


def _ods_row(values: list, style, dated) -> TableRow:
    row = TableRow()
    for value in values:
        row.addElement(_ods_cell(value, style, dated))
    return row


def _ods_cell(value, style, dated) -> TableCell:
    extra = {"stylename": style} if style is not None else {}
    if value is None or value == "":
        return TableCell(**extra)
    if isinstance(value, Money):
        euros, cents = divmod(value.cents, 100)
        cell = TableCell(valuetype="currency", currency="EUR", value=f"{euros}.{cents:02d}",
                         **extra)
        text = f"{euros},{cents:02d} €"
    elif isinstance(value, date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(),
                         stylename=dated)
        text = value.strftime("%d/%m/%Y")
    elif isinstance(value, int):
        cell = TableCell(valuetype="float", value=str(value), **extra)
        text = str(value)
    else:
        cell = TableCell(valuetype="string", **extra)
        text = str(value)
    paragraph = P()
    teletype.addTextToElement(paragraph, text)
    cell.addElement(paragraph)
    return cell
