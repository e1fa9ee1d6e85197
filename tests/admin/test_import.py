"""Inviting many people from a CSV file: the checks (without HTTP), then the pages."""
from __future__ import annotations

import codecs
import io

import pytest
from sqlalchemy import func, select

from tests.admin.helpers import text
from workspace.admin.service import MAX_IMPORT_ROWS, read_user_import
from workspace.auth.models import User
from workspace.extensions import db

HEADER = "email;prenom;nom;organisation;fonction;poste;telephone\r\n"


@pytest.fixture
def communes(make_organisation):
    return {"yvre": make_organisation("Yvré-l'Évêque"),
            "coulaines": make_organisation("Coulaines"),
            "old": make_organisation("Ancienne commune", is_archived=True)}


def upload(client, content: bytes, filename: str = "invitations.csv", **kwargs):
    return client.post("/admin/users/import", data={"file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data", **kwargs)


def user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


# --- reading and checking a file -------------------------------------------------------

def test_utf8_with_bom_and_semicolons(communes):
    csv_text = HEADER + (
        "anne.roux@example.org;Anne;Roux;YVRE-L'EVEQUE;correspondant informatique;"
        "Technicienne;02 43 11 22 33\r\n"
        "\r\n"  # blank lines are skipped
        "bob@example.org;Bob;Petit;coulaines;dpo;;\r\n"
        "chloe@example.org;Chloé;Blanc;;;;\r\n")
    result = read_user_import(codecs.BOM_UTF8 + csv_text.encode("utf-8"))
    assert result.errors == []
    anne, bob, chloe = result.rows
    assert (anne.line, anne.organisation_id, anne.network_function, anne.phone) == (
        2, communes["yvre"].id, "it_correspondent", "02 43 11 22 33")
    assert (bob.line, bob.organisation_id, bob.network_function) == (
        4, communes["coulaines"].id, "dpo")
    assert (chloe.first_name, chloe.organisation_id, chloe.network_function) == (
        "Chloé", None, "other")


def test_windows_1252_file_with_commas_and_accents(communes):
    csv_text = ("Email,Prénom,Nom,Organisation,Fonction\r\n"
                "gerard@example.org,Gérard,Lefèvre,Yvré-l'Évêque,Élu\r\n")
    result = read_user_import(csv_text.encode("cp1252"))
    assert result.errors == []
    [row] = result.rows
    assert (row.first_name, row.last_name, row.organisation_id, row.network_function) == (
        "Gérard", "Lefèvre", communes["yvre"].id, "elected")


def test_every_wrong_row_is_reported_with_its_line(communes, make_user):
    make_user(email="existe@example.org")
    csv_text = HEADER + "\n".join([
        "ok@example.org;Oscar;Ok;;;;",                 # 2: fine
        "pas-une-adresse;Paul;Faux;;;;",               # 3
        "ok@example.org;Olga;Double;;;;",              # 4: duplicate of line 2
        "EXISTE@example.org;Eve;Existe;;;;",           # 5: account exists
        "x@example.org;Xavier;Inconnu;Paris;;;",       # 6: unknown organisation
        "y@example.org;Yves;Fonction;;plombier;;",     # 7: unknown function
        "z@example.org;;SansPrenom;;;;",               # 8: missing first name
        f"long@example.org;Léa;{'L' * 81};;;;",        # 9: too long
        "arch@example.org;Ali;Archive;Ancienne commune;;;",  # 10: archived organisation
    ])
    result = read_user_import(csv_text.encode("utf-8"))
    assert result.rows == []
    lines = {error.line: error.message for error in result.errors}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "Adresse e-mail invalide" in lines[3]
    assert "ligne 2" in lines[4]
    assert "existe déjà" in lines[5]
    assert "Organisation inconnue" in lines[6] and "Paris" in lines[6]
    assert "Fonction inconnue" in lines[7]
    assert "prénom et le nom sont obligatoires" in lines[8]
    assert "dépasse 80 caractères" in lines[9]
    assert "archivée" in lines[10]


@pytest.mark.parametrize(("content", "message"), [
    (b"courriel;nom\nx@example.org;X\n", "colonnes manquantes : prenom"),
    (b"email;prenom;nom;age\nx@example.org;X;Y;3\n", "colonnes inconnues : age"),
    (b"", "Le fichier est vide."),
    (HEADER.encode(), "aucune personne"),
    (b"PK\x03\x04\x14\x00\x06\x00", "CSV UTF-8"),
    (b"email;prenom;nom\nx@example.org;\x81\x8d;Y\n", "encodage inconnu"),
    (b"email;prenom;nom\n" + b"x@example.org;X;Y\n" * (MAX_IMPORT_ROWS + 1), "plus de 2000"),
    (b"email;prenom;nom\n" + b"x" * (1024 * 1024), "1 Mo"),
])
def test_unreadable_files_get_one_clear_message(app, content, message):
    result = read_user_import(content)
    assert result.rows == []
    [error] = result.errors
    assert error.line is None and message in error.message


# --- the pages -------------------------------------------------------------------------

@pytest.mark.parametrize("encode", [
    lambda content: codecs.BOM_UTF8 + content.encode("utf-8"),
    lambda content: content.replace(";", ",").encode("cp1252"),
], ids=["utf8-bom-semicolons", "cp1252-commas"])
def test_import_invites_everyone(admin_client, communes, mailbox, encode):
    csv_text = HEADER + ("anne.roux@example.org;Anne;Roux;Yvré-l'Évêque;;;\r\n"
                         "bob@example.org;Bob;Petit;Coulaines;dpo;;\r\n")
    response = upload(admin_client, encode(csv_text), follow_redirects=True)
    assert "2 personnes invitées." in text(response)
    anne = db.session.scalar(select(User).where(User.email == "anne.roux@example.org"))
    assert anne.organisation_id == communes["yvre"].id and not anne.has_password
    for address in ("anne.roux@example.org", "bob@example.org"):
        [message] = mailbox.to(address)
        assert "http://tilt.test/invitation/" in message.get_body(("plain",)).get_content()


def test_one_bad_row_imports_nothing(admin_client, communes, mailbox):
    before = user_count()
    csv_text = HEADER + ("anne.roux@example.org;Anne;Roux;;;;\n"
                         "bob@example.org;Bob;Petit;Nulle-Part;;;\n")
    response = upload(admin_client, csv_text.encode("utf-8"))
    page = text(response)
    assert response.status_code == 200
    assert "Le fichier n'a pas été importé" in page
    assert '<th scope="row">3</th>' in page and "Nulle-Part" in page
    assert user_count() == before
    assert mailbox.to("anne.roux@example.org") == []


def test_wrong_columns_are_explained(admin_client):
    response = upload(admin_client, b"mail,first name,last name\nx@example.org,X,Y\n")
    page = text(response)
    assert "La première ligne doit donner les noms des colonnes" in page
    assert "colonnes manquantes : email, prenom, nom" in page


def test_a_spreadsheet_is_refused_by_its_extension(admin_client):
    response = upload(admin_client, b"PK\x03\x04", filename="invitations.xlsx")
    assert "Le fichier doit être au format CSV" in text(response)
    missing = admin_client.post("/admin/users/import", data={})
    assert "Choisissez un fichier." in text(missing)


def test_the_template_downloads_and_its_header_is_accepted(admin_client, communes):
    response = admin_client.get("/admin/users/import/modele.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    content = response.get_data()
    assert content.startswith(codecs.BOM_UTF8)
    assert "Yvré-l'Évêque" in content.decode("utf-8-sig")
    # sent back untouched, only the example line is refused: the header is right
    [error] = read_user_import(content).errors
    assert error.line == 2 and "ligne d'exemple" in error.message
