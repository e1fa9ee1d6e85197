"""Extraction after upload, through the job queue: real LibreOffice files keep their accents;
hostile files get a clear status and reason, the app keeps answering, nothing is lost."""
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import text_of
from workspace.core.jobs import run_pending_jobs
from workspace.documents.models import Document, DocumentText, DocumentVersion
from workspace.extensions import db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "documents"


def _upload_and_extract(client, network, *paths):
    # The test client closes the files it sends.
    data = {"files": [(open(path, "rb"), path.name) for path in paths]}
    response = client.post(f"/n/{network.slug}/documents/upload", data=data,
                           content_type="multipart/form-data")
    for handle, _ in data["files"]:
        handle.close()
    assert response.status_code == 302
    run_pending_jobs()
    return {v.filename: v for v in db.session.scalars(select(DocumentVersion))}


@pytest.mark.parametrize("name", ["atelier.odt", "atelier.docx", "atelier.pdf", "communes.ods"])
def test_libreoffice_files_are_extracted_with_accents(client, login, library, name):
    network, member, _, _ = library
    login(client, member)
    versions = _upload_and_extract(client, network, FIXTURES / name)
    version = versions[name]
    assert version.extraction_status == "done", version.extraction_reason
    text = db.session.get(DocumentText, version.id).text
    if name == "communes.ods":
        assert "Yvré-l'Évêque" in text and "Sargé-lès-le-Mans" in text
    else:
        assert "chaudières" in text and "Yvré-l'Évêque" in text
    page = text_of(client.get(f"/n/{network.slug}/documents/{version.document_id}"))
    assert "texte extrait" in page


def test_pdf_pages_are_kept_apart(client, login, library):
    network, member, _, _ = library
    login(client, member)
    version = _upload_and_extract(client, network, FIXTURES / "atelier.pdf")["atelier.pdf"]
    text = db.session.get(DocumentText, version.id)
    assert text.page_count >= 2 and text.text.count("\f") == text.page_count - 1


@pytest.mark.parametrize(("name", "status", "reason"), [
    ("entite-externe.odt", "failed", "DOCTYPE"),
    ("milliard-de-rires.docx", "failed", "DOCTYPE"),
    ("tronque.pdf", "failed", "PDF illisible"),
    ("bombe-flate.pdf", "failed", "PDF suspect"),
    ("protege.pdf", "failed", "mot de passe"),
])
def test_hostile_files_are_stored_but_marked_not_extracted(client, login, library, name, status,
                                                           reason):
    network, member, _, _ = library
    login(client, member)
    _upload_and_extract(client, network, FIXTURES / "atelier.odt")  # stored before
    versions = _upload_and_extract(client, network, FIXTURES / "hostile" / name)
    version = versions[name]
    assert version.extraction_status == status and reason in version.extraction_reason
    page = text_of(client.get(f"/n/{network.slug}/documents/{version.document_id}"))
    assert "texte non extrait" in page and reason in page
    # the app keeps answering and what was stored before is intact
    earlier = versions["atelier.odt"]
    download = client.get(f"/n/{network.slug}/documents/{earlier.document_id}/download")
    assert download.data == (FIXTURES / "atelier.odt").read_bytes()


def test_zip_bomb_disguised_as_odt_is_stored_and_not_extracted(client, login, library,
                                                               tmp_path):
    import zipfile

    bomb = tmp_path / "bombe.odt"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text",
                         compress_type=zipfile.ZIP_STORED)
        with archive.open("content.xml", "w", force_zip64=True) as entry:
            chunk = b" " * (1024 * 1024)
            for _ in range(400):  # 400 MB of spaces, a few hundred KB compressed
                entry.write(chunk)
    network, member, _, _ = library
    login(client, member)
    version = _upload_and_extract(client, network, bomb)["bombe.odt"]
    assert version.extraction_status == "failed"
    assert "Archive suspecte" in version.extraction_reason


def test_html_named_pdf_is_refused_at_upload(client, login, library):
    network, member, _, _ = library
    login(client, member)
    response = client.post(f"/n/{network.slug}/documents/upload", data={
        # The test client closes the files it sends.
        "files": [(open(FIXTURES / "hostile" / "page-web.pdf", "rb"), "page-web.pdf")]},
        content_type="multipart/form-data", follow_redirects=True)
    assert "ne correspond pas à son extension" in text_of(response)
    assert db.session.scalar(select(Document)) is None


def test_coordinator_retries_a_failed_extraction(client, login, library):
    network, member, coordinator, _ = library
    login(client, member)
    version = _upload_and_extract(client, network, FIXTURES / "hostile" / "tronque.pdf")[
        "tronque.pdf"]
    assert client.post(f"/n/{network.slug}/documents/{version.document_id}/extraction/retry"
                       ).status_code == 403
    other = client.application.test_client()
    login(other, coordinator)
    other.post(f"/n/{network.slug}/documents/{version.document_id}/extraction/retry")
    assert db.session.get(DocumentVersion, version.id).extraction_status == "pending"
    run_pending_jobs()
    assert db.session.get(DocumentVersion, version.id).extraction_status == "failed"
