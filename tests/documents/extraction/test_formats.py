"""Real documents made with LibreOffice, and text files in the encodings French users send,
come out with their accents intact and their pages in place."""
from __future__ import annotations

import unicodedata
import zipfile

import pytest

from workspace.documents.extraction import ExtractionResult, extract_text
from workspace.documents.extraction.formats import DOCX, ODP, ODS, ODT, PPTX, XLSX

from .support import FIXTURES, HOSTILE

PDF = "application/pdf"
ACCENTED = ["chaudières", "Yvré-l'Évêque", "œuvre", "cœur", "Ça", "« énergie dans les bâtiments »"]


def extract(name: str, mime: str) -> ExtractionResult:
    result = extract_text(FIXTURES / name, mime)
    assert result.status == "done", result.reason
    return result


@pytest.mark.parametrize(("name", "mime"), [
    ("atelier.odt", ODT), ("atelier.docx", DOCX), ("atelier.pdf", PDF),
    ("presentation.odp", ODP), ("presentation.pptx", PPTX),
])
def test_documents_keep_their_accents(name, mime):
    text = extract(name, mime).text
    for word in ACCENTED:
        assert word in text
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize(("name", "mime"), [("atelier.odt", ODT), ("atelier.docx", DOCX)])
def test_word_processing_keeps_spaces_tabs_and_line_breaks(name, mime):
    text = extract(name, mime).text
    assert "Sargé-lès-le-Mans" in text
    assert "Référence :\tÉté 2024   coût estimé 12 500 €\nDeuxième ligne" in text
    assert text.index("Atelier") < text.index("Deuxième page") < text.index("Troisième page")


def test_pdf_gives_one_item_per_page_in_order():
    pages = extract("atelier.pdf", PDF).pages
    assert len(pages) == 3
    assert "chaudières à condensation" in pages[0]
    assert "Deuxième page : maîtrise d'œuvre à Allonnes" in pages[1]
    assert "Troisième page" in pages[2] and "Deuxième page" not in pages[2]


@pytest.mark.parametrize(("name", "mime"), [("presentation.odp", ODP), ("presentation.pptx", PPTX)])
def test_presentations_give_one_item_per_slide(name, mime):
    pages = extract(name, mime).pages
    assert pages == [
        "Atelier « énergie dans les bâtiments »\n"
        "Première diapositive : Yvré-l'Évêque et Sargé-lès-le-Mans.",
        "Deuxième diapositive : chaudières à condensation",
        "Troisième diapositive : œuvre, cœur, Ça.",
    ]


@pytest.mark.parametrize(("name", "mime"), [("communes.ods", ODS), ("communes.xlsx", XLSX)])
def test_spreadsheets_give_one_tab_separated_item_per_sheet(name, mime):
    pages = extract(name, mime).pages
    assert pages == [
        "Commune\tHabitants\tÉquipement\n"
        "Yvré-l'Évêque\t4512\tchaudières à condensation\n"
        "Sargé-lès-le-Mans\t3604.5\t\tcœur\tcœur",  # an empty cell, then one value on two columns
        "Maîtrise d'œuvre\tÇa commence à Coulaines",
    ]


def test_csv_in_windows_1252_is_read_as_such():
    text = extract_text(HOSTILE / "communes-cp1252.csv", "text/csv").text
    assert text == ("Commune;Équipement;Coût (€)\n"
                    "Yvré-l'Évêque;chaudières à condensation;12 500\n"
                    "Sargé-lès-le-Mans;maîtrise d'œuvre;3 000\n"
                    "Ça;cœur;0")


@pytest.mark.parametrize("encoded", [
    "Yvré-l'Évêque\r\nœuvre\rcœur\n".encode(),
    b"\xef\xbb\xbf" + "Yvré-l'Évêque\r\nœuvre\rcœur\n".encode(),
    "Yvré-l'Évêque\r\nœuvre\rcœur\n".encode("utf-16"),
], ids=["utf-8", "utf-8 with BOM", "utf-16 with BOM"])
def test_plain_text_encodings_and_newlines(tmp_path, encoded):
    path = tmp_path / "notes.txt"
    path.write_bytes(encoded)
    assert extract_text(path, "text/plain").pages == ["Yvré-l'Évêque\nœuvre\ncœur"]


def test_text_is_normalised_and_control_characters_dropped(tmp_path):
    path = tmp_path / "notes.md"
    decomposed = unicodedata.normalize("NFD", "Yvré-l'Évêque")
    path.write_text(f"# {decomposed}\x00\x07\n\tcol\x1b[0m\x0cpage\x7f\u0085", encoding="utf-8")
    assert extract_text(path, "text/markdown").text == "# Yvré-l'Évêque\n\tcol[0m\x0cpage"


def test_html_is_read_as_html_whatever_its_name():
    text = extract_text(HOSTILE / "page-web.pdf", "text/html; charset=utf-8").text
    assert text == ("Compte rendu\nRéunion du réseau énergie\n"
                    "Visite de la chaufferie à Yvré-l'Évêque, maîtrise d'œuvre & suivi.\n"
                    "Coulaines\nAllonnes")


def test_html_declared_charset_is_used_when_not_utf8(tmp_path):
    path = tmp_path / "ancien.html"
    path.write_bytes('<meta charset="iso-8859-15"><p>Coût : 10 ¤</p>'.replace("¤", "€")
                     .encode("iso-8859-15"))
    assert extract_text(path, "text/html").text == "Coût : 10 €"


def test_spreadsheet_repeats_are_capped_not_exploded(tmp_path):
    """LibreOffice stores identical neighbours as one cell or row with a repeat count; a
    forged count of a billion must not become a billion cells."""
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        '<office:spreadsheet><table:table table:name="Feuille1">'
        '<table:table-row table:number-rows-repeated="1000000000">'
        '<table:table-cell table:number-columns-repeated="1000000000"><text:p>x</text:p>'
        '</table:table-cell></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>'
        '</table:table></office:spreadsheet></office:body></office:document-content>')
    path = tmp_path / "repete.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", ODS)
        archive.writestr("content.xml", content)
    result = extract_text(path, ODS)
    assert result.status == "done"
    rows = result.pages[0].split("\n")
    assert len(rows) == 1000 and rows[0] == "\t".join(["x"] * 1000)


@pytest.mark.parametrize("mime", ["image/png", "application/zip", "application/msword",
                                  "application/x-ole-storage", "application/octet-stream", ""])
def test_formats_without_text_are_unsupported(mime):
    result = extract_text(FIXTURES / "atelier.odt", mime)
    assert (result.status, result.pages, result.reason) == (
        "unsupported", [], "Format sans texte extractible.")
