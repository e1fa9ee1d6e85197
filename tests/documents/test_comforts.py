"""What Nextcloud users expect of the library: a same-name upload asks "new version or keep
both" (a confirmation step that works without JavaScript), titles made from file names,
type marks and thumbnails, and several documents moved, trashed or downloaded as one zip."""
from __future__ import annotations

import io
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import text_of
from tests.documents.conftest import MINIMAL_PDF, png_bytes
from workspace.documents import bulk, same_name, uploads
from workspace.documents import service as documents
from workspace.documents.models import Document, DocumentVersion
from workspace.documents.names import title_from_filename
from workspace.documents.sniff import icon
from workspace.extensions import db


def _documents():
    return db.session.scalars(select(Document).order_by(Document.id)).all()


def _add(network, user, name: str, content: bytes, folder=None) -> Document:
    [document] = uploads.upload_documents(user, network, folder, [
        (name, uploads.incoming_bytes(content))]).created
    db.session.commit()
    return document


# --- titles ----------------------------------------------------------------------------

@pytest.mark.parametrize(("filename", "title"), [
    ("compte_rendu-atelier_2017.pdf", "Compte rendu atelier 2017"),
    ("CR_GED.docx", "CR GED"),
    ("2017-03-26_reunion.pdf", "2017-03-26 reunion"),
    ("plan-de-charge.v2.xlsx", "Plan de charge v2"),
    ("Sargé-lès-Le-Mans - CR.odt", "Sargé-lès-Le-Mans - CR"),
    ("réunion du 3 mars", "Réunion du 3 mars"),
    ("___.pdf", "___.pdf"),
])
def test_titles_are_cleaned_from_file_names(filename, title):
    assert title_from_filename(filename) == title


@given(st.text(max_size=80))
def test_a_title_is_never_empty(filename):
    assert title_from_filename(filename or "document").strip()


def test_type_marks():
    assert icon("application/pdf") == ("pdf", "PDF")
    assert icon("image/png") == ("image", "PNG")
    assert icon("application/octet-stream") == ("other", "—")
    assert icon(None) == ("other", "—")


def test_the_list_shows_marks_and_thumbnails(client, login, library):
    network, member, _, _ = library
    image = _add(network, member, "photo_chantier.png", png_bytes())
    _add(network, member, "note.pdf", MINIMAL_PDF)
    login(client, member)
    page = client.get(f"/n/{network.slug}/documents/").get_data(as_text=True)
    assert f'src="/n/{network.slug}/documents/{image.id}/thumbnail"' in page
    assert 'class="doc-icon doc-icon-pdf" aria-hidden="true">PDF<' in page
    assert ">Photo chantier</a>" in page


# --- same name -------------------------------------------------------------------------

def _question(response) -> str:
    """The address of the "new version or keep both?" page an upload sent to."""
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "/documents/upload/same-name?t=" in location
    return location


def test_same_name_asks_then_makes_a_new_version(client, login, library, upload):
    network, member, _, _ = library
    login(client, member)
    first = _add(network, member, "compte_rendu.txt", b"version 1")
    question = _question(upload(network, ("compte_rendu.txt", b"version 2")))
    assert len(_documents()) == 1  # nothing decided yet
    page = text_of(client.get(question))
    assert "compte_rendu.txt" in page and "Nouvelle version de ce document" in page
    assert "Garder les deux" in page
    response = client.post(question, data={"answer-0": "version"})
    assert response.status_code == 302
    [document] = _documents()
    assert document.id == first.id and document.current_version.number == 2
    assert storage_bytes(document) == b"version 2"
    assert "1 nouvelle version enregistrée" in text_of(client.get(response.headers["Location"]))


def test_same_name_keep_both_renames_the_new_file(client, login, library, upload):
    network, member, _, _ = library
    login(client, member)
    _add(network, member, "Compte_Rendu.txt", b"version 1")
    question = _question(upload(network, ("compte_rendu.txt", b"autre contenu"),
                                ("nouveau.txt", b"nouveau")))
    assert [d.title for d in _documents()] == ["Compte Rendu", "Nouveau"]  # the new name went in
    client.post(question, data={"answer-0": "both"})
    versions = [d.current_version.filename for d in _documents()]
    assert versions == ["Compte_Rendu.txt", "nouveau.txt", "compte_rendu (2).txt"]
    assert _documents()[2].title == "Compte rendu (2)"


def test_same_name_skip_stores_nothing(client, login, library, upload):
    network, member, _, _ = library
    login(client, member)
    _add(network, member, "note.txt", b"1")
    question = _question(upload(network, ("note.txt", b"2")))
    client.post(question, data={"answer-0": "skip"})
    [document] = _documents()
    assert document.current_version.number == 1


def test_same_name_only_in_the_same_folder(client, login, library, upload):
    network, member, _, _ = library
    login(client, member)
    folder = documents.create_folder(member, network, None, "Ateliers")
    _add(network, member, "note.txt", b"1")
    db.session.commit()
    response = upload(network, ("note.txt", b"2"), folder=folder.id)
    assert "same-name" not in response.headers["Location"]
    assert len(_documents()) == 2


def test_a_dangerous_file_of_the_same_name_is_refused_at_once(client, login, library, upload):
    network, member, _, _ = library
    login(client, member)
    _add(network, member, "outil.png", png_bytes())
    response = upload(network, ("outil.png", b"MZ\x90\x00 programme"))
    assert "same-name" not in response.headers["Location"]
    assert "est un programme" in text_of(client.get(response.headers["Location"]))
    assert len(_documents()) == 1


def test_the_question_belongs_to_its_person(client, login, library, upload, signed_in,
                                            make_user):
    network, member, coordinator, outsider = library
    login(client, member)
    _add(network, member, "note.txt", b"1")
    question = _question(upload(network, ("note.txt", b"2")))
    # the coordinator of the same network: not their upload
    assert signed_in(coordinator).post(question, data={"answer-0": "both"}).status_code == 404
    assert signed_in(outsider).get(question).status_code == 404
    token = parse_qs(urlsplit(question).query)["t"][0]
    forged = question.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert client.get(forged).status_code == 404
    assert client.get(question.split("?")[0] + "?t=").status_code == 404
    assert len(_documents()) == 1


def test_the_token_is_read_back(app, library):
    network, member, coordinator, _ = library
    held = [same_name.HeldFile("a" * 64, "note.txt", 3, "text/plain", 7)]
    token = same_name.sign(member, network, None, held)
    assert same_name.read(token, member, network) == (None, held)
    with pytest.raises(LookupError):
        same_name.read(token, coordinator, network)


# --- several at once -------------------------------------------------------------------

def storage_bytes(document: Document) -> bytes:
    from workspace.documents.storage import blob_path

    return blob_path(document.current_version.blob_sha256).read_bytes()


def _select(client, network, action: str, ids, **extra):
    return client.post(f"/n/{network.slug}/documents/selection",
                       data={"action": action, "ids": [str(i) for i in ids], **extra})


def test_download_several_as_one_zip(client, login, library):
    network, member, _, _ = library
    a = _add(network, member, "note.txt", b"premier")
    b = _add(network, member, "note.TXT", b"second")  # same name once zipped: renamed
    c = _add(network, member, "plan.pdf", MINIMAL_PDF)
    login(client, member)
    response = _select(client, network, "zip", [a.id, b.id, c.id])
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.is_streamed
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == ["note (2).TXT", "note.txt", "plan.pdf"]
    assert archive.read("plan.pdf") == MINIMAL_PDF


def test_the_zip_has_a_size_cap(app, client, login, library):
    network, member, _, _ = library
    app.config["DOCUMENTS_ZIP_MAX_MB"] = 1
    a = _add(network, member, "gros.txt", b"x" * 700_000)
    b = _add(network, member, "gros2.txt", b"y" * 700_000)
    login(client, member)
    response = _select(client, network, "zip", [a.id, b.id])
    assert response.status_code == 302
    assert "plus que les 1 Mo" in text_of(client.get(response.headers["Location"]))


def test_a_document_of_another_network_makes_the_choice_404(client, login, library,
                                                            make_network):
    network, member, _, outsider = library
    other = make_network("Autre", members=[outsider])
    theirs = _add(other, outsider, "secret.txt", b"secret")
    mine = _add(network, member, "note.txt", b"note")
    login(client, member)
    for action in ("zip", "move", "trash"):
        assert _select(client, network, action, [mine.id, theirs.id]).status_code == 404
    assert db.session.get(Document, theirs.id).deleted_at is None


def test_outsiders_get_404(client, login, library):
    network, member, _, outsider = library
    mine = _add(network, member, "note.txt", b"note")
    login(client, outsider)
    assert _select(client, network, "zip", [mine.id]).status_code == 404


def test_move_and_trash_several(client, login, library):
    network, member, _, _ = library
    folder = documents.create_folder(member, network, None, "Ateliers")
    a = _add(network, member, "a.txt", b"a")
    b = _add(network, member, "b.txt", b"b")
    login(client, member)
    response = _select(client, network, "move", [a.id, b.id], target=str(folder.id))
    assert response.status_code == 302
    assert {d.folder_id for d in _documents()} == {folder.id}
    _select(client, network, "trash", [a.id, b.id], folder_id=str(folder.id))
    assert all(d.deleted_at is not None for d in _documents())


def test_trash_is_all_or_nothing(client, login, library, make_user):
    network, member, coordinator, _ = library
    mine = _add(network, member, "a.txt", b"a")
    theirs = _add(network, coordinator, "b.txt", b"b")
    login(client, member)
    response = _select(client, network, "trash", [mine.id, theirs.id])
    assert "rien n'a été mis à la corbeille" in text_of(client.get(response.headers["Location"]))
    assert all(d.deleted_at is None for d in _documents())


def test_nothing_ticked_or_an_odd_action(client, login, library):
    network, member, _, _ = library
    mine = _add(network, member, "a.txt", b"a")
    login(client, member)
    response = _select(client, network, "zip", [])
    assert "Cochez au moins un document" in text_of(client.get(response.headers["Location"]))
    assert _select(client, network, "fondre", [mine.id]).status_code == 400
    assert _select(client, network, "zip", ["abc", "-1"]).status_code == 302


def test_stream_zip_reads_files_piece_by_piece(tmp_path):
    path = tmp_path / "gros.bin"
    path.write_bytes(b"z" * (3 * bulk.CHUNK + 5))
    pieces = list(bulk.stream_zip([bulk.ZipEntry("gros.bin", path, None)]))
    assert len(pieces) > 3  # not one block
    archive = zipfile.ZipFile(io.BytesIO(b"".join(pieces)))
    assert archive.read("gros.bin") == path.read_bytes()


def test_versions_are_kept(library):
    network, member, _, _ = library
    document = _add(network, member, "a.txt", b"a")
    assert db.session.scalar(select(DocumentVersion.number).where(
        DocumentVersion.document_id == document.id)) == 1
