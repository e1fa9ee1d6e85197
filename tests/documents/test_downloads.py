"""Downloads and previews: access-checked, attachments, RFC 6266 names, ranges, ETags,
inline only for PDF and raster images."""
import pytest

from tests.documents.conftest import MINIMAL_PDF, png_bytes
from workspace.documents import uploads
from workspace.extensions import db


def _add(network, user, name, content):
    report = uploads.upload_documents(user, network, None,
                                      [(name, uploads.incoming_bytes(content))])
    db.session.commit()
    assert report.created, report.refused
    return report.created[0]


def test_download_is_an_attachment_with_encoded_name(client, login, library):
    network, member, _, _ = library
    document = _add(network, member, "Réunion du 12 mai – Coulaines.txt", b"ordre du jour")
    login(client, member)
    response = client.get(f"/n/{network.slug}/documents/{document.id}/download")
    assert response.status_code == 200 and response.data == b"ordre du jour"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''R%C3%A9union%20du%2012%20mai%20%E2%80%93%20Coulaines.txt" in \
        disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["ETag"].strip('"') == document.current_version.blob_sha256


@pytest.mark.parametrize(("name", "plain"), [
    ("Отчёт о встрече.pdf", 'filename="Otchiot o vstreche.pdf"'),
    ("Réunion – Coulaines.txt", 'filename="Reunion - Coulaines.txt"'),
    ("会议.txt", 'filename="Hui Yi.txt"'),
])
def test_a_name_in_another_alphabet_keeps_a_readable_plain_name(client, login, library, name,
                                                                 plain):
    """Browsers that ignore filename* read a transliteration, not ".pdf"."""
    network, member, _, _ = library
    content = MINIMAL_PDF if name.endswith(".pdf") else b"texte"
    document = _add(network, member, name, content)
    login(client, member)
    response = client.get(f"/n/{network.slug}/documents/{document.id}/download")
    disposition = response.headers["Content-Disposition"]
    assert plain in disposition, disposition
    assert "filename*=UTF-8''" in disposition


def test_ranges_and_etags(client, login, library):
    network, member, _, _ = library
    content = bytes(range(256)) * 40
    document = _add(network, member, "donnees.bin", b"a" + content)
    login(client, member)
    url = f"/n/{network.slug}/documents/{document.id}/download"
    partial = client.get(url, headers={"Range": "bytes=1-100"})
    assert partial.status_code == 206 and partial.data == content[:100]
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    resumed = client.get(url, headers={"Range": "bytes=5000-", "If-Range": etag})
    assert resumed.status_code == 206 and resumed.data == (b"a" + content)[5000:]


@pytest.mark.parametrize(("name", "content", "inline"), [
    ("plan.pdf", MINIMAL_PDF, True),
    ("photo.png", png_bytes(), True),
    ("page.html", b"<html><script>alert(1)</script></html>", False),
    ("dessin.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     False),
])
def test_only_pdf_and_images_preview_inline(client, login, library, name, content, inline):
    network, member, _, _ = library
    document = _add(network, member, name, content)
    login(client, member)
    response = client.get(f"/n/{network.slug}/documents/{document.id}/preview")
    if inline:
        assert response.status_code == 200
        assert "attachment" not in response.headers.get("Content-Disposition", "")
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    else:
        assert response.status_code == 404
        download = client.get(f"/n/{network.slug}/documents/{document.id}/download")
        assert download.headers["Content-Disposition"].startswith("attachment")


def test_thumbnail_of_an_image(client, login, library):
    network, member, _, _ = library
    document = _add(network, member, "grand.png", png_bytes((1200, 800)))
    login(client, member)
    response = client.get(f"/n/{network.slug}/documents/{document.id}/thumbnail")
    assert response.status_code == 200 and response.mimetype == "image/png"
    from io import BytesIO

    from PIL import Image

    assert max(Image.open(BytesIO(response.data)).size) <= 320
    pdf = _add(network, member, "plan.pdf", MINIMAL_PDF)
    assert client.get(f"/n/{network.slug}/documents/{pdf.id}/thumbnail").status_code == 404


def test_outsider_gets_404_on_every_document_url(client, login, library):
    network, member, _, outsider = library
    image = _add(network, member, "photo.png", png_bytes())
    from workspace.documents import service

    folder = service.create_folder(member, network, None, "Dossier")
    db.session.commit()
    login(client, outsider)
    base = f"/n/{network.slug}/documents"
    for path in ("/", f"/folders/{folder.id}", "/recent", "/upload", "/trash",
                 f"/{image.id}", f"/{image.id}/edit", f"/{image.id}/download",
                 f"/{image.id}/versions/1/download", f"/{image.id}/preview",
                 f"/{image.id}/thumbnail"):
        assert client.get(base + path).status_code == 404, path
    for path in (f"/{image.id}/delete", f"/{image.id}/versions/1/restore",
                 f"/{image.id}/extraction/retry", "/folders", f"/folders/{folder.id}/delete"):
        assert client.post(base + path).status_code == 404, path


def test_signed_in_download_may_be_revalidated_but_pages_are_not_stored(client, login,
                                                                         library):
    network, member, _, _ = library
    document = _add(network, member, "a.txt", b"a")
    login(client, member)
    assert client.get(f"/n/{network.slug}/documents/{document.id}/download").headers[
        "Cache-Control"] == "private, no-cache"
    assert client.get(f"/n/{network.slug}/documents/{document.id}").headers[
        "Cache-Control"] == "private, no-store"
