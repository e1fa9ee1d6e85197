"""Uploading: streamed to the content-addressed store, checked from the content, clean names,
size limit, quota, and nothing half-stored when something fails."""
import hashlib
import io
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import text_of
from tests.documents.conftest import MINIMAL_PDF, png_bytes
from workspace.documents import storage, uploads
from workspace.documents.models import Blob, Document, DocumentVersion
from workspace.documents.names import clean_filename
from workspace.extensions import db


def _documents():
    return db.session.scalars(select(Document).order_by(Document.id)).all()


def test_upload_stores_by_hash_outside_static(app, client, login, library, upload):
    network, member, _, _ = library
    login(client, member)
    content = b"Compte rendu de l'atelier \xc3\xa9nergie\n" * 100
    response = upload(network, ("compte-rendu.txt", content))
    assert response.status_code == 302
    [document] = _documents()
    version = document.current_version
    sha = hashlib.sha256(content).hexdigest()
    assert version.blob_sha256 == sha and version.size == len(content)
    assert version.mime == "text/plain" and version.filename == "compte-rendu.txt"
    path = storage.blob_path(sha)
    assert path.read_bytes() == content
    assert Path(app.static_folder) not in path.parents
    assert path.parent.parent.name == sha[:2] and path.parent.name == sha[2:4]
    assert list((Path(app.config["DATA_DIR"]) / "files" / "tmp").iterdir()) == []


def test_several_files_at_once(client, login, library, upload):
    network, member, _, _ = library
    login(client, member)
    response = upload(network, ("a.txt", b"premier"), ("b.png", png_bytes()),
                      ("c.pdf", MINIMAL_PDF))
    assert response.status_code == 302
    assert sorted(d.current_version.mime for d in _documents()) == [
        "application/pdf", "image/png", "text/plain"]


def test_same_content_is_stored_once(client, login, library, upload):
    network, member, _, _ = library
    login(client, member)
    upload(network, ("a.txt", b"identique"), ("b.txt", b"identique"))
    assert len(_documents()) == 2
    assert db.session.scalar(select(func.count()).select_from(Blob)) == 1


@pytest.mark.parametrize(("name", "content", "message"), [
    ("rapport.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>",
     "ne correspond pas à son extension"),
    ("vide.odt", b"", "est vide"),
    ("outil.pdf", b"MZ\x90\x00" + b"\x00" * 200, "programme"),
    ("photo.png", b"%PDF-1.4 not an image", "ne correspond pas"),
])
def test_content_is_checked_not_the_name(client, login, library, upload, name, content,
                                         message):
    network, member, _, _ = library
    login(client, member)
    response = upload(network, (name, content))
    assert response.status_code == 302
    assert message in text_of(client.get(response.headers["Location"]))
    assert _documents() == []
    assert db.session.scalar(select(func.count()).select_from(Blob)) == 0


def test_html_without_a_misleading_name_is_stored_as_html(client, login, library, upload):
    network, member, _, _ = library
    login(client, member)
    upload(network, ("page.html", b"<html><body>Bonjour</body></html>"))
    assert _documents()[0].current_version.mime == "text/html"


def test_file_names_keep_accents_but_lose_tricks(client, login, library, upload):
    network, member, _, _ = library
    login(client, member)
    decomposed = unicodedata.normalize("NFD", "Réunion énergie Yvré-l'Évêque.txt")
    upload(network, (decomposed, b"a"), ("../../etc/passwd.txt", b"b"),
           ("facture\u202egnp.exe.txt", b"c"))
    names = [d.current_version.filename for d in _documents()]
    assert names[0] == "Réunion énergie Yvré-l'Évêque.txt"
    assert unicodedata.is_normalized("NFC", names[0])
    assert names[1] == "passwd.txt"
    assert names[2] == "facturegnp.exe.txt"


@pytest.mark.parametrize(("raw", "clean"), [
    ("  .hidden ", "hidden"), ("a\x00b\x1fc.txt", "abc.txt"), ("", "document"),
    ("C:\\Users\\x\\note.txt", "note.txt"), ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
])
def test_clean_filename(raw, clean):
    assert clean_filename(raw) == clean


def test_too_large_upload_gets_the_413_page_and_stores_nothing(app, client, login, library,
                                                                upload):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    network, member, _, _ = library
    login(client, member)
    response = upload(network, ("gros.txt", b"x" * 5000))
    assert response.status_code == 413
    assert "Fichier trop volumineux" in text_of(response)
    assert _documents() == []


def test_quota_refuses_what_does_not_fit(client, login, library, upload):
    network, member, _, _ = library
    network.storage_quota_mb = 1
    db.session.commit()
    login(client, member)
    upload(network, ("a.txt", b"a" * 600_000))
    response = upload(network, ("b.txt", b"b" * 600_000))
    assert "espace documentaire du réseau est plein" in text_of(
        client.get(response.headers["Location"]))
    assert [d.title for d in _documents()] == ["A"]
    page = text_of(client.get(f"/n/{network.slug}/documents/"))
    assert "Espace utilisé" in page and "1 Mo" in page


def test_crash_before_commit_leaves_no_row_and_the_orphan_is_swept(app, library):
    network, member, _, _ = library
    incoming = uploads.incoming_bytes(b"contenu orphelin")
    uploads.upload_documents(member, network, None, [("orphelin.txt", incoming)])
    db.session.rollback()  # the process died before the commit
    assert _documents() == []
    orphan = storage.blob_path(hashlib.sha256(b"contenu orphelin").hexdigest())
    assert orphan.exists()  # the file came first...
    from workspace.documents.jobs import known_blobs

    assert storage.check_store(known_blobs()).orphans == [orphan]
    assert storage.sweep(known_blobs(), grace_seconds=0) == 1  # ...and is swept
    assert not orphan.exists()


def test_documents_check_command(app, runner, library):
    network, member, _, _ = library
    report = uploads.upload_documents(member, network, None, [
        ("a.txt", uploads.incoming_bytes(b"aaa")), ("b.txt", uploads.incoming_bytes(b"bbb"))])
    db.session.commit()
    result = runner.invoke(args=["documents", "check"])
    assert result.exit_code == 0 and "0 missing, 0 mismatched, 0 orphans" in result.output
    a, b = (d.current_version.blob_sha256 for d in report.created)
    storage.blob_path(a).unlink()
    storage.blob_path(b).write_bytes(b"altered")
    storage.store_bytes(b"nobody points here")
    result = runner.invoke(args=["documents", "check"])
    assert result.exit_code == 1
    assert f"MISSING   {a}" in result.output and f"MISMATCH  {b}" in result.output
    assert "1 orphans" in result.output


def test_upload_page_works_without_javascript_and_has_progress_for_those_with(
        client, login, library):
    network, member, _, _ = library
    login(client, member)
    page = text_of(client.get(f"/n/{network.slug}/documents/upload"))
    assert 'enctype="multipart/form-data"' in page and 'name="files"' in page
    assert "/js/upload." in page and "<progress" in page  # fingerprinted name


def test_javascript_upload_gets_json_with_the_next_page(client, login, library):
    network, member, _, _ = library
    login(client, member)
    response = client.post(f"/n/{network.slug}/documents/upload",
                           data={"files": [(io.BytesIO(b"x"), "x.txt")]},
                           headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 200
    assert response.json["redirect"].startswith(f"/n/{network.slug}/documents/")


def test_outsider_and_reader_of_open_network_cannot_upload(client, login, library, upload,
                                                           make_network, make_user):
    network, _, _, outsider = library
    login(client, outsider)
    assert upload(network, ("a.txt", b"a")).status_code == 404
    open_network = make_network(is_private=False)
    assert upload(open_network, ("a.txt", b"a")).status_code == 403
    assert _documents() == []


def test_upload_stream_is_hashed_on_the_way(app):
    with app.test_request_context("/", method="POST", data={
            "f": (io.BytesIO(b"abc" * 1000), "f.txt")}, content_type="multipart/form-data"):
        from flask import request

        stream = request.files["f"].stream
        assert isinstance(stream, storage.HashingFile)
        assert stream.sha256 == hashlib.sha256(b"abc" * 1000).hexdigest()
        assert stream.size == 3000 and stream.path.parent.name == "tmp"


def test_versions_record_size_and_uploader(client, login, library, upload):
    network, member, _, _ = library
    login(client, member)
    upload(network, ("note.txt", b"v1"))
    version = db.session.scalar(select(DocumentVersion))
    assert (version.number, version.size, version.uploaded_by_id) == (1, 2, member.id)
