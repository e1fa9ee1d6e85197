"""A coordinator downloads the network's full export from its "Export" tab, then reads it
offline: the pages open from the disk (file://), their links lead from one to the other, and
axe finds no serious violation on the site's page nor on the exported ones."""
from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, sign_in
from tests.browser.helpers import network_tab
from workspace.extensions import db
from workspace.forums import service as forums

pytestmark = pytest.mark.browser


def test_the_export_downloads_and_reads_offline(open_page, make_user, make_network, tmp_path):
    claire = make_user(first_name="Claire", last_name="Martin")
    network = make_network("Informatique", coordinators=[claire])
    category = forums.save_category(claire, network, None, name="Sauvegardes")
    forums.create_topic(claire, category, "Plan de reprise", "Sauvegarde **chaque nuit**.")
    db.session.commit()

    page = open_page()
    sign_in(page, claire.email)
    page.goto(f"/n/{network.slug}/")
    network_tab(page, "Export").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Export complet du réseau")
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger l’export (ZIP)").click()
    archive = tmp_path / "export.zip"
    download.value.save_as(archive)
    zipfile.ZipFile(archive).extractall(tmp_path / "export")

    offline = open_page()
    offline.goto((tmp_path / "export" / "index.html").as_uri())
    expect(offline.get_by_role("heading", level=1)).to_have_text("Informatique")
    check_accessibility(offline)
    offline.get_by_role("navigation", name="Sections de l’export").get_by_role(
        "link", name="Forum").click()
    offline.get_by_role("link", name="Sauvegardes").click()
    offline.get_by_role("link", name="Plan de reprise").click()
    expect(offline.get_by_role("heading", level=1)).to_have_text("Plan de reprise")
    expect(offline.locator("article strong")).to_have_text("chaque nuit")
    check_accessibility(offline)
    offline.get_by_role("navigation", name="Sections de l’export").get_by_role(
        "link", name="Documents").click()
    expect(offline.get_by_role("heading", level=1)).to_have_text("Documents")
    check_accessibility(offline)
