"""Notifications through the real UI: member A mentions member B in a forum post; B signs in,
sees the bell count 1, opens the list, follows the notification to the post, and chooses what
they receive on the preferences page.

Every page visited is checked with axe-core (serious and critical violations fail the test).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.helpers import AccessibilityAudit, network_tab, open_calm_page
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.notifications import service as notifications

pytestmark = pytest.mark.browser


def test_the_bell_shows_a_new_mention(open_page, make_user, make_network, make_organisation):
    allonnes = make_organisation("Allonnes")
    alice = make_user(first_name="Alice", last_name="Martin", organisation=allonnes,
                      email="alice.martin@allonnes.fr")
    bruno = make_user(first_name="Bruno", last_name="Petit", organisation=allonnes,
                      email="bruno.petit@allonnes.fr")
    coordinator = make_user(first_name="Claire", last_name="Moreau")
    network = make_network("Informatique", members=[alice, bruno], coordinators=[coordinator])
    forums.save_category(coordinator, network, None, name="Messagerie")
    db.session.commit()
    slug, handle = network.slug, bruno.handle
    audit = AccessibilityAudit()

    # --- Alice opens a topic that mentions Bruno ---
    a = open_calm_page(open_page)
    sign_in(a, alice.email)
    a.goto(f"/n/{slug}/")
    network_tab(a, "Forum").click()
    a.get_by_role("table", name="Catégories du forum").get_by_role(
        "link", name="Messagerie", exact=True).click()
    a.get_by_role("link", name="Nouveau sujet").click()
    a.get_by_label("Titre du sujet").fill("Relais SMTP des copieurs")
    a.get_by_label("Message", exact=True).fill(f"@{handle} peux-tu vérifier le relais ?")
    expect(a.get_by_label("Annonce importante", exact=False)).to_have_count(0)  # a member
    a.get_by_role("button", name="Publier le sujet").click()
    expect(a.get_by_role("heading", level=2)).to_have_text("Relais SMTP des copieurs")
    bell_a = a.get_by_role("link", name=re.compile(r"^Notifications"))
    expect(bell_a).to_have_attribute("data-unread", "0")  # nothing for her own post

    # --- Bruno signs in: the bell says 1 ---
    b = open_calm_page(open_page)
    sign_in(b, bruno.email)
    bell = b.get_by_role("link", name="Notifications : 1 à lire")
    expect(bell).to_be_visible()
    expect(bell).to_contain_text("1")
    audit.check(b)
    bell.click()
    expect(b.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    entry = b.get_by_role("link", name="Alice Martin vous a mentionné dans « Relais SMTP des "
                                       "copieurs »")
    expect(entry).to_be_visible()
    audit.check(b)
    entry.click()
    expect(b).to_have_url(re.compile(rf"/n/{slug}/forum/t/\d+.*#post-1$"))
    expect(b.get_by_role("heading", level=2)).to_have_text("Relais SMTP des copieurs")
    expect(b.get_by_role("link", name="Notifications", exact=True)).to_have_attribute(
        "data-unread", "0")

    # --- his preferences: forum posts once a week ---
    b.goto("/account")
    b.get_by_role("navigation", name="Mon compte").get_by_role(
        "link", name="Notifications").click()
    expect(b.get_by_role("heading", level=2, name="Ce que vous recevez")).to_be_visible()
    audit.check(b)
    b.get_by_label("Nouveaux messages des sujets et catégories suivis").select_option("weekly")
    b.get_by_role("button", name="Enregistrer").click()
    expect(b.get_by_text("Vos préférences de notification sont enregistrées.")).to_be_visible()
    assert notifications.channel_of(bruno, "forum_post") == "weekly"
    audit.finish()
