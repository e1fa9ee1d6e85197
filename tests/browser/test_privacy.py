"""Personal data, the audit log and the legal pages through the real UI, checked with axe."""
from __future__ import annotations

import json
import re
import zipfile

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_legal_pages_from_the_footer_without_signing_in(page: Page, live_server):
    page.goto("/login")
    footer = page.locator("footer")
    footer.get_by_role("link", name="Mentions légales").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentions légales")
    check_accessibility(page)
    page.locator("footer").get_by_role("link", name=re.compile("Accessibilité")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclaration d'accessibilité")
    expect(page.get_by_text("partiellement conforme").first).to_be_visible()
    check_accessibility(page)


def test_a_member_downloads_their_data(page: Page, live_server, make_user, tmp_path):
    member = make_user(first_name="Camille", last_name="Durand")
    sign_in(page, member.email)
    page.goto("/account")
    page.get_by_role("link", name="Mes données").click()
    expect(page.get_by_role("heading", name="Mes données personnelles")).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger mes données").click()
    path = tmp_path / "archive.zip"
    download_info.value.save_as(path)
    with zipfile.ZipFile(path) as zf:
        data = json.loads(zf.read("donnees.json"))
    assert data["profile"]["last_name"] == "Durand"


def test_an_administrator_anonymises_then_reads_the_log_and_edits_a_page(
        page: Page, live_server, make_user, make_network):
    leaver = make_user(first_name="Hélène", last_name="Durand")
    admin = make_user(is_admin=True, first_name="Anne", last_name="Admin")
    make_network("Informatique", members=[leaver])
    sign_in(page, leaver.email)
    sign_out(page)
    sign_in(page, admin.email)
    page.goto(f"/admin/users/{leaver.id}")
    page.get_by_role("link", name=re.compile("Anonymiser ce compte")).click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Hélène Durand")
    check_accessibility(page)
    page.get_by_role("button", name="Anonymiser définitivement").click()
    expect(page.get_by_text("Tapez le mot demandé pour confirmer.")).to_be_visible()
    check_accessibility(page)
    page.get_by_label(re.compile("Pour confirmer")).fill("ANONYMISER")
    page.get_by_role("button", name="Anonymiser définitivement").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Ancien membre")
    expect(page.get_by_text("Compte anonymisé", exact=True)).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Journal de sécurité de ce compte").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Compte anonymisé")
    expect(table).to_contain_text("Connexion")
    expect(table).not_to_contain_text("Durand")
    check_accessibility(page)
    page.get_by_label("Événement").select_option(label="Connexion")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("status").filter(has_text="événement")).to_have_text(
        "1 événement")

    page.goto("/legal/donnees-personnelles")
    page.get_by_role("link", name="Modifier la page").click()
    check_accessibility(page)
    page.get_by_label("Texte (Markdown)").fill("## Responsable\n\nLe Mans Métropole.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Responsable")
    page.get_by_role("link", name="Historique").click()
    expect(page.get_by_text(re.compile("Version 1"))).to_be_visible()
    check_accessibility(page)
