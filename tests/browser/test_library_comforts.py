"""The library in Chromium (static/js/library.js): files dropped onto the list, a same-name
file answered "keep both", "tick all" and the chosen documents downloaded as one zip."""
from __future__ import annotations

import base64
import io
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, sign_in
from tests.documents.conftest import png_bytes
from workspace.documents import uploads
from workspace.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(make_user, make_network):
    isabelle = make_user(first_name="Isabelle", last_name="Roux")
    network = make_network("Patrimoine bâti", members=[isabelle])
    uploads.upload_documents(isabelle, network, None, [
        ("compte_rendu-atelier_2017.txt", uploads.incoming_bytes(b"version 1"))])
    db.session.commit()
    return network, isabelle


def _drop(page: Page, files: list[tuple[str, str, bytes]]) -> None:
    """Drop files made in the page from bytes onto the library's list."""
    page.locator("form.library").evaluate("""(form, files) => {
        const transfer = new DataTransfer();
        for (const [name, type, data] of files) {
          const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
          transfer.items.add(new File([bytes], name, {type}));
        }
        form.dispatchEvent(new DragEvent('dragover', {dataTransfer: transfer, bubbles: true,
                                                      cancelable: true}));
        form.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true,
                                                  cancelable: true}));
    }""", [[name, kind, base64.b64encode(data).decode()] for name, kind, data in files])


def test_drop_files_on_the_library_and_answer_keep_both(open_page, scene):
    network, isabelle = scene
    page = open_page()
    sign_in(page, isabelle.email)
    page.goto(f"/n/{network.slug}/documents/")
    expect(page.get_by_role("link", name="Compte rendu atelier 2017")).to_be_visible()
    expect(page.get_by_text("Déposez les fichiers ici")).to_be_visible()
    check_accessibility(page)
    _drop(page, [("photo_chantier.png", "image/png", png_bytes()),
                 ("compte_rendu-atelier_2017.txt", "text/plain", b"version 2")])
    expect(page.get_by_role("heading", level=2)).to_have_text(
        "Un fichier porte déjà ce nom")
    check_accessibility(page)
    page.get_by_label("Garder les deux (le nouveau fichier est renommé)").check()
    page.get_by_role("button", name="Valider").click()
    expect(page).to_have_url(re.compile(r"/documents/$"))
    for title in ("Compte rendu atelier 2017", "Compte rendu atelier 2017 (2)",
                  "Photo chantier"):
        expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    thumbnail = page.locator("img.doc-thumb")
    expect(thumbnail).to_have_count(1)
    assert thumbnail.evaluate("(img) => img.complete && img.naturalWidth") == 40


def test_tick_all_and_download_a_zip(open_page, scene):
    network, isabelle = scene
    uploads.upload_documents(isabelle, network, None, [
        ("plan.txt", uploads.incoming_bytes(b"plan"))])
    db.session.commit()
    page = open_page()
    sign_in(page, isabelle.email)
    page.goto(f"/n/{network.slug}/documents/")
    page.get_by_label("Tout cocher").check()
    for box in page.locator("input[name=ids]").all():
        expect(box).to_be_checked()
    page.get_by_label("Choisir « Plan »").uncheck()
    expect(page.get_by_label("Tout cocher")).not_to_be_checked()
    page.get_by_label("Choisir « Plan »").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger en zip").click()
    content = open(download.value.path(), "rb").read()
    names = sorted(zipfile.ZipFile(io.BytesIO(content)).namelist())
    assert names == ["compte_rendu-atelier_2017.txt", "plan.txt"]


def test_the_upload_page_sends_with_progress_and_explains_a_refusal(open_page, scene):
    """static/js/upload.js: the file goes with a progress bar and its page opens; files
    over the limit are refused on the page before anything is sent."""
    network, isabelle = scene
    page = open_page()
    sign_in(page, isabelle.email)
    page.goto(f"/n/{network.slug}/documents/upload")
    page.get_by_label("Fichiers").set_input_files(files=[
        {"name": "releve_compteurs.csv", "mimeType": "text/csv", "buffer": b"a;b\n1;2\n"}])
    page.get_by_role("button", name="Envoyer").click()
    expect(page).to_have_url(re.compile(r"/documents/\d+$"))
    expect(page.get_by_role("heading", name="Releve compteurs")).to_be_visible()
    page.goto(f"/n/{network.slug}/documents/upload")
    page.locator("form[data-upload]").evaluate("(form) => form.dataset.maxBytes = '4'")
    page.get_by_label("Fichiers").set_input_files(files=[
        {"name": "gros.txt", "mimeType": "text/plain", "buffer": b"0123456789"}])
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("alert")).to_contain_text("dépassent")
