"""CSV and ODS in and out: encodings, separators, French amounts and dates, wrong columns,
formulas; an import is all or nothing and never loses what is stored."""
from __future__ import annotations

import codecs
import io
import zipfile
from datetime import date
from xml.etree import ElementTree

import pytest
from sqlalchemy import func, select

from tests.inventory.conftest import url
from workspace.extensions import db
from workspace.inventory.models import InventoryContract, InventoryItem
from workspace.inventory.tabular import Money, write_ods

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
HEADER = "commune;type;fournisseur;objet;date_debut;date_fin;preavis_mois;montant_annuel;" \
         "licences;notes"


def _import(client, world, data: bytes, table="contrats", name="inventaire.csv", **form):
    return client.post(url(world, "/import"), data={
        "table": table, "mode": "add", "organisation_id": "0",
        "file": (io.BytesIO(data), name), **form}, content_type="multipart/form-data")


def _contracts():
    return list(db.session.scalars(select(InventoryContract).order_by(InventoryContract.id)))


def _page(response) -> str:
    import html

    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def stored(world, make_contract, make_item):
    """What must survive every failed import."""
    return make_contract(world.alice, supplier="Déjà là"), make_item(world.alice)


def _assert_nothing_lost(stored):
    db.session.expire_all()
    assert [c.supplier for c in _contracts()] == ["Déjà là"]
    assert db.session.scalar(select(func.count(InventoryItem.id))) == 1


# --- CSV -------------------------------------------------------------------------------

@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
                                           ("cp1252", b""), ("latin-1", b"")])
def test_french_excel_csv_in_any_usual_encoding(world, signed_in, encoding, bom):
    text = (f"{HEADER}\r\nCoulaines;Télécommunications;Orange;Téléphonie de l'hôtel de ville;"
            "01/01/2024;31/12/2027;3;1 234,56;;Négocié en 2023\r\n")
    response = _import(signed_in(world.alice), world, bom + text.encode(encoding))
    assert response.status_code == 302, _page(response)[:2000]
    [contract] = _contracts()
    assert (contract.supplier, contract.subject, contract.yearly_amount_cents) == (
        "Orange", "Téléphonie de l'hôtel de ville", 123456)
    assert (contract.starts_on, contract.ends_on, contract.notice_months) == (
        date(2024, 1, 1), date(2027, 12, 31), 3)
    assert contract.organisation_id == world.alice.organisation_id
    assert contract.notes == "Négocié en 2023"


def test_comma_separated_csv_with_aliases_and_no_commune_column(world, signed_in):
    data = (b'Type,Fournisseur,Objet,Date de fin,Montant\n'
            b'telecom,SFR,"Fibre, 3 sites",2027-06-30,"1234.50"\n'
            b'impression,Canon,Copieurs,,\n')
    response = _import(signed_in(world.alice), world, data)
    assert response.status_code == 302
    assert [(c.kind, c.supplier, c.subject, c.yearly_amount_cents) for c in _contracts()] == [
        ("telecoms", "SFR", "Fibre, 3 sites", 123450), ("printing", "Canon", "Copieurs", None)]


def test_wrong_columns_are_named(world, signed_in, stored):
    data = b"commune;fournisseur;prix;prix\nCoulaines;Orange;12;13\n"
    page = _page(_import(signed_in(world.alice), world, data))
    assert "colonnes manquantes : type, objet" in page
    assert "colonnes inconnues : « prix », « prix »" in page
    assert "Rien n'a été importé" in page
    _assert_nothing_lost(stored)


@pytest.mark.parametrize(("data", "message"), [
    (b"\x00\x01\x02binary\x00", "encodage inconnu"),
    ("\ufeff".encode("utf-16-le") + b"\x00\xd8", "encodage inconnu"),
    (b"", "Le fichier est vide"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel ancien"),
    (b"type;fournisseur;objet\n", "aucune ligne"),
    (b'type;fournisseur;objet\nLogiciel;"Orange;x\n', "guillemets"),
    (b"x" * (2 * 1024 * 1024 + 1), "2 Mo"),
])
def test_unreadable_files_get_clear_messages(world, signed_in, stored, data, message):
    page = _page(_import(signed_in(world.alice), world, data))
    assert message in page
    _assert_nothing_lost(stored)


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(world, signed_in,
                                                                        stored):
    data = (f"{HEADER}\n"
            "Coulaines;Logiciel;Berger-Levrault;Finances;01/01/2024;31/12/2026;3;900;2;\n"
            "Coulaines;Fromage;Orange;Fixe;;;;;;\n"
            "\n"
            "Coulaines;Logiciel;X;Y;32/01/2024;;;;;\n"
            "Coulaines;Logiciel;X;Y;;;deux;12,345;-3;\n"
            "Atlantis;Logiciel;X;Y;;;;;;\n"
            "Allonnes;Logiciel;X;Y;;;;;;\n"
            "Coulaines;Logiciel;X;Y;01/01/2025;01/01/2024;;;;\n").encode()
    page = _page(_import(signed_in(world.alice), world, data))
    for expected in ("Ligne 3 : Type inconnu : « Fromage »",
                     "Ligne 5 : Date invalide : « 32/01/2024 »",
                     "Ligne 6 : Préavis (mois) : nombre entier attendu, pas « deux »",
                     "Ligne 6 : Le montant a plus de deux décimales : « 12,345 »",
                     "Ligne 6 : Licences : nombre entier attendu, pas « -3 »",
                     "Ligne 7 : Commune inconnue : « Atlantis »",
                     "Ligne 8 : Vous ne pouvez importer que des lignes de votre commune",
                     "Ligne 9 : La date de fin précède la date de début"):
        assert expected in page, expected
    assert "Ligne 2" not in page
    _assert_nothing_lost(stored)


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://evil\";\"clic\")", "+33243000000",
                                  "@SUM(A1)", "-2+3+cmd|' /C calc'!A0", "\t=1"])
def test_csv_formulas_are_refused_with_a_message(world, signed_in, stored, cell):
    quoted = cell.replace('"', '""')
    data = f"type;fournisseur;objet;notes\nLogiciel;Orange;Fixe;\"{quoted}\"\n".encode()
    page = _page(_import(signed_in(world.alice), world, data))
    assert "Ligne 2 : La colonne « notes » commence par" in page
    assert "formule" in page
    _assert_nothing_lost(stored)


def test_an_apostrophe_keeps_a_formula_like_text_as_text(world, signed_in):
    data = "type;fournisseur;objet;notes\nLogiciel;Orange;Fixe;'=à négocier\n".encode()
    assert _import(signed_in(world.alice), world, data).status_code == 302
    assert _contracts()[0].notes == "=à négocier"


def test_the_template_example_line_must_be_removed(world, signed_in, stored):
    client = signed_in(world.alice)
    template = client.get(url(world, "/import/modele-contrats.csv"))
    assert template.status_code == 200 and template.data.startswith(codecs.BOM_UTF8)
    assert template.data.decode("utf-8-sig").splitlines()[0] == HEADER
    assert "supprimez-la" in _page(_import(client, world, template.data))
    ods = client.get(url(world, "/import/modele-equipements.ods"))
    assert ods.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    assert "supprimez-la" in _page(_import(client, world, ods.data, table="equipements",
                                           name="modele.ods"))
    _assert_nothing_lost(stored)


def test_replace_mode_swaps_the_communes_lines_only_when_the_file_is_valid(
        world, signed_in, stored, make_contract):
    other = make_contract(world.chloe, supplier="SFR")
    client = signed_in(world.alice)
    bad = b"type;fournisseur;objet;montant_annuel\nLogiciel;Nouveau;X;douze\n"
    assert "Rien n'a été importé" in _page(_import(client, world, bad, mode="replace"))
    assert [c.supplier for c in _contracts()] == ["Déjà là", "SFR"]
    good = b"type;fournisseur;objet\nLogiciel;Nouveau;X\n"
    assert _import(client, world, good, mode="replace").status_code == 302
    db.session.expire_all()
    assert [c.supplier for c in _contracts()] == ["SFR", "Nouveau"]  # Allonnes untouched
    assert db.session.get(InventoryContract, other.id) is not None


def test_coordinator_imports_for_several_communes_and_a_default(world, signed_in):
    data = ("commune;type;produit;version;quantite\n"
            "coulaines;Logiciel;Zimbra;8.8.15;45\n"
            "ALLONNES;Matériel informatique;Poste Dell;7010;1 200\n"
            ";logiciel;Alfresco;7.2;\n").encode("cp1252")
    response = _import(signed_in(world.coordinator), world, data, table="equipements",
                       organisation_id=str(world.david.organisation_id))
    assert response.status_code == 302
    items = list(db.session.scalars(select(InventoryItem).order_by(InventoryItem.id)))
    assert [(i.organisation.name, i.kind, i.product, i.quantity) for i in items] == [
        ("Coulaines", "software", "Zimbra", 45), ("Allonnes", "hardware", "Poste Dell", 1200),
        ("Sargé-lès-le-Mans", "software", "Alfresco", 1)]


def test_coordinator_without_default_commune_is_told(world, signed_in):
    data = b"type;produit\nLogiciel;Zimbra\n"
    page = _page(_import(signed_in(world.coordinator), world, data, table="equipements"))
    assert "Ligne 2 : Indiquez la commune" in page


def test_csv_export_neutralises_formulas_and_reimports(world, signed_in, make_contract):
    make_contract(world.alice, supplier="=HYPERLINK(\"http://evil\")", subject="@SUM(A1)",
                  notes="-2+3", yearly_amount_cents=123456, ends_on=date(2027, 12, 31),
                  notice_months=2, licence_count=12)
    client = signed_in(world.chloe)  # another commune's member: read-only, but may export
    response = client.get(url(world, "/export/contrats.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    row = text.splitlines()[1]
    assert row == ("Coulaines;Télécommunications;\"'=HYPERLINK(\"\"http://evil\"\")\";'@SUM(A1);"
                   "01/01/2024;31/12/2027;2;1234,56;12;'-2+3;31/10/2027")
    # the coordinator edits it in a spreadsheet and imports it back: same values
    coordinator = signed_in(world.coordinator)
    assert _import(coordinator, world, response.data, mode="replace").status_code == 302
    [contract] = _contracts()
    assert (contract.supplier, contract.subject, contract.notes) == (
        "=HYPERLINK(\"http://evil\")", "@SUM(A1)", "-2+3")
    assert contract.yearly_amount_cents == 123456 and contract.licence_count == 12


# --- ODS -------------------------------------------------------------------------------

def _cells(ods: bytes) -> list[list[ElementTree.Element]]:
    with zipfile.ZipFile(io.BytesIO(ods)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    return [list(row.iter(f"{TABLE}table-cell")) for row in root.iter(f"{TABLE}table-row")]


def test_ods_export_writes_string_cells_never_formulas(world, signed_in, make_contract):
    make_contract(world.alice, supplier="=WEBSERVICE(\"http://evil\")", subject="+1+1",
                  yearly_amount_cents=99, ends_on=date(2027, 12, 31))
    response = signed_in(world.alice).get(url(world, "/export/contrats.ods"))
    assert response.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    header, row = _cells(response.data)
    assert [c.get(f"{OFFICE}value-type") for c in header[:3]] == ["string"] * 3
    assert not any(c.get(f"{TABLE}formula") for c in header + row)
    supplier, subject = row[2], row[3]
    assert supplier.get(f"{OFFICE}value-type") == "string"
    assert "".join(supplier.itertext()) == "=WEBSERVICE(\"http://evil\")"
    assert subject.get(f"{OFFICE}value-type") == "string"
    amount, end = row[7], row[5]
    assert (amount.get(f"{OFFICE}value-type"), amount.get(f"{OFFICE}value")) == ("currency",
                                                                                "0.99")
    assert end.get(f"{OFFICE}date-value") == "2027-12-31"


def test_ods_round_trip(world, signed_in, make_item):
    make_item(world.alice, product="Zimbra", version="8.8.15", quantity=45, notes="ligne 1\n"
              "ligne 2")
    client = signed_in(world.alice)
    exported = client.get(url(world, "/export/equipements.ods")).data
    assert _import(client, world, exported, table="equipements", name="export.ods",
                   mode="replace").status_code == 302
    [item] = db.session.scalars(select(InventoryItem))
    assert (item.product, item.version, item.quantity, item.notes) == (
        "Zimbra", "8.8.15", 45, "ligne 1\nligne 2")


def _ods_with(cells_xml: str, header: str = "type;fournisseur;objet;montant_annuel") -> bytes:
    """A minimal hand-written ODS: one header row and one row of the given cells."""
    head = "".join(f'<table:table-cell office:value-type="string"><text:p>{name}</text:p>'
                   "</table:table-cell>" for name in header.split(";"))
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Feuille1">'
        f'<table:table-row>{head}</table:table-row>'
        f'<table:table-row>{cells_xml}</table:table-row>'
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row>'
        '</table:table></office:spreadsheet></office:body></office:document-content>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _string(text: str) -> str:
    return (f'<table:table-cell office:value-type="string"><text:p>{text}</text:p>'
            '</table:table-cell>')


def test_ods_typed_cells_are_read(world, signed_in):
    data = _ods_with(_string("Logiciel") + _string("Orange") + _string("Fixe")
                     + '<table:table-cell office:value-type="currency" office:value="1234.5">'
                       '<text:p>1 234,50 €</text:p></table:table-cell>')
    assert _import(signed_in(world.alice), world, data, name="i.ods").status_code == 302
    assert _contracts()[0].yearly_amount_cents == 123450


def test_ods_formula_cells_are_refused(world, signed_in, stored):
    data = _ods_with(_string("Logiciel") + _string("Orange") + _string("Fixe")
                     + '<table:table-cell table:formula="of:=WEBSERVICE(&quot;http://x&quot;)"'
                       ' office:value-type="float" office:value="3"><text:p>3</text:p>'
                       '</table:table-cell>')
    page = _page(_import(signed_in(world.alice), world, data, name="i.ods"))
    assert "Ligne 2 : La colonne « montant_annuel » contient une formule de tableur" in page
    _assert_nothing_lost(stored)


def test_ods_text_starting_a_formula_is_refused(world, signed_in, stored):
    data = _ods_with(_string("Logiciel") + _string("=cmd|' /C calc'!A0") + _string("Fixe"))
    page = _page(_import(signed_in(world.alice), world, data, name="i.ods"))
    assert "Ligne 2 : La colonne « fournisseur » commence par « = »" in page
    _assert_nothing_lost(stored)


def test_ods_wrong_columns(world, signed_in, stored):
    data = _ods_with(_string("x"), header="produit;prix")
    page = _page(_import(signed_in(world.alice), world, data, name="i.ods"))
    assert "colonnes manquantes : type, fournisseur, objet" in page
    _assert_nothing_lost(stored)


@pytest.mark.parametrize(("build", "message"), [
    (lambda: _zip({"xl/workbook.xml": "<x/>", "[Content_Types].xml": "<x/>"}), "Excel (.xlsx)"),
    (lambda: _zip({"mimetype": "application/zip", "content.xml": "<x/>"}), "ODS lisible"),
    (lambda: b"PK\x03\x04 truncated", "ODS lisible"),
    (lambda: _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                   "content.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                                  "<x>&a;</x>"}), "ODS lisible"),
    (lambda: _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                   "content.xml": " " * (31 * 1024 * 1024)}), "plus de"),
])
def test_odd_spreadsheets_get_clear_messages(world, signed_in, stored, build, message):
    page = _page(_import(signed_in(world.alice), world, build(), name="i.ods"))
    assert message in page
    _assert_nothing_lost(stored)


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_write_ods_keeps_text_typed(app):
    cells = _cells(write_ods("Test", ["a", "b"], [["=1+1", Money(5)]]))
    assert cells[1][0].get(f"{OFFICE}value-type") == "string"
    assert cells[1][1].get(f"{OFFICE}value") == "0.05"
