"""Tutorials through the real UI: a member writes a Markdown tutorial with a screenshot,
another member edits it, and the history shows both revisions with their authors.

Every page visited is checked with axe-core (serious and critical violations fail the test).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.helpers import AccessibilityAudit, flash, network_tab, open_calm_page
from tests.documents.conftest import png_bytes

pytestmark = pytest.mark.browser

TITLE = "Filtres dans Zimbra"
BODY = ("Un filtre range le courrier **à son arrivée**.\n\n## Créer un filtre\n\n"
        "1. Ouvrez **Préférences**.\n2. Choisissez *Filtres*.\n3. Cliquez sur **Créer**.")
ADDED = "4. Enregistrez, puis testez avec un message."


def test_write_with_an_image_edit_by_another_member_and_history(open_page, make_user,
                                                                make_network,
                                                                make_organisation):
    allonnes = make_organisation("Allonnes")
    coulaines = make_organisation("Coulaines")
    sophie = make_user(first_name="Sophie", last_name="Lambert", organisation=allonnes,
                       email="sophie.lambert@allonnes.fr")
    julien = make_user(first_name="Julien", last_name="Moreau", organisation=coulaines,
                       email="julien.moreau@coulaines.fr")
    network = make_network("Informatique", members=[sophie, julien])
    slug = network.slug
    audit = AccessibilityAudit()

    # --- Sophie writes the tutorial, previews it and joins a screenshot ---
    a = open_calm_page(open_page)
    sign_in(a, sophie.email)
    a.goto(f"/n/{slug}/")
    network_tab(a, "Tutoriels").click()
    expect(a.get_by_role("heading", level=2, name="Tutoriels")).to_be_visible()
    audit.check(a)
    a.get_by_role("link", name="Nouveau tutoriel").click()
    expect(a.get_by_role("heading", level=2)).to_have_text("Nouveau tutoriel")
    audit.check(a)
    a.get_by_label("Titre").fill(TITLE)
    a.get_by_label("Texte", exact=True).fill(BODY)
    a.get_by_role("toolbar", name="Mise en forme").get_by_role("button", name="Aperçu").click()
    preview = a.locator(".editor-preview")
    expect(preview.get_by_role("heading", name="Créer un filtre")).to_be_visible()
    expect(preview.locator("ol li")).to_have_count(3)
    audit.check(a)
    a.get_by_label("Images et documents joints (facultatif)").set_input_files(
        files=[{"name": "capture-filtre.png", "mimeType": "image/png",
                "buffer": png_bytes(size=(120, 80))}])
    a.get_by_role("button", name="Publier le tutoriel").click()

    expect(a).to_have_url(re.compile(rf"/n/{slug}/tutoriels/\d+-filtres-dans-zimbra$"))
    expect(flash(a)).to_contain_text("Le tutoriel est publié.")
    article = a.get_by_role("article", name=TITLE)
    expect(article.locator(".tutorial-body strong").first).to_have_text("à son arrivée")
    expect(article.locator(".tutorial-body h2")).to_have_text("Créer un filtre")
    expect(article.locator(".tutorial-body")).not_to_contain_text("**")
    image = article.get_by_role("img", name="Capture filtre")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 120
    audit.check(a)
    tutorial_url = a.url

    # --- Julien finds it in the table of contents and adds a step ---
    b = open_calm_page(open_page)
    sign_in(b, julien.email)
    b.goto(f"/n/{slug}/")
    network_tab(b, "Tutoriels").click()
    b.get_by_role("navigation", name="Table des matières").get_by_role(
        "link", name=TITLE).click()
    expect(b).to_have_url(tutorial_url)
    b.get_by_role("link", name="Modifier", exact=True).click()
    expect(b.get_by_role("heading", level=2)).to_have_text(f"Modifier « {TITLE} »")
    audit.check(b)
    body = b.get_by_label("Texte", exact=True)
    expect(body).to_have_value(BODY)
    body.press("Control+End")
    b.keyboard.type("\n" + ADDED)
    b.get_by_role("button", name="Enregistrer").click()
    expect(b).to_have_url(tutorial_url)
    expect(flash(b)).to_contain_text("Le tutoriel est enregistré.")
    expect(b.locator(".tutorial-body ol li")).to_have_count(4)
    expect(b.get_by_text(re.compile(r"mis à jour le .* par Julien Moreau"))).to_be_visible()
    audit.check(b)

    # --- the history shows both revisions, who made them, and what changed ---
    b.get_by_role("link", name="Historique").click()
    expect(b.get_by_role("heading", level=2)).to_have_text(f"Historique de « {TITLE} »")
    versions = b.get_by_role("heading", level=3)
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text("Version 2")
    expect(versions.nth(0)).to_contain_text("par Julien Moreau")
    expect(versions.nth(1)).to_contain_text("Version 1")
    expect(versions.nth(1)).to_contain_text("par Sophie Lambert")
    expect(b.locator("ins.diff-added").first).to_contain_text(ADDED)
    audit.check(b)

    # Sophie sees Julien's step on her page
    a.reload()
    expect(a.get_by_role("article", name=TITLE).locator(".tutorial-body")).to_contain_text(
        "Enregistrez, puis testez avec un message.")
    audit.finish()
