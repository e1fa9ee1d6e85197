"""A date poll through the real UI: the coordinator opens it, a member finds it on the
dashboard and answers each slot (radio buttons, no JavaScript needed), the table shows the
counts and the commune nobody covers, the coordinator keeps a slot and confirms the
pre-filled meeting. The poll page passes axe (no serious or critical violation) at desktop
width and at 375 px, where the page does not scroll sideways."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.conftest import ARTIFACTS, sign_in
from tests.browser.helpers import AccessibilityAudit, flash, network_tab, open_calm_page
from workspace.extensions import db
from workspace.polls.models import Poll

pytestmark = pytest.mark.browser


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url}: {width} px wide in a {viewport} px window"


def test_poll_from_opening_to_meeting(open_page, make_user, make_network, make_organisation):
    allonnes, coulaines = make_organisation("Allonnes"), make_organisation("Coulaines")
    claire = make_user(first_name="Claire", last_name="Martin", organisation=allonnes,
                       email="claire.martin@allonnes.fr")
    paul = make_user(first_name="Paul", last_name="Leroy", organisation=coulaines,
                     email="paul.leroy@coulaines.fr")
    network = make_network("Informatique", members=[paul], coordinators=[claire])
    slug = network.slug
    audit = AccessibilityAudit()

    # --- Claire opens a poll with two slots ---
    coordinator = open_calm_page(open_page)
    sign_in(coordinator, claire.email)
    coordinator.goto(f"/n/{slug}/")
    network_tab(coordinator, "Sondages").click()
    coordinator.get_by_role("link", name="Chercher une date").click()
    audit.check(coordinator)
    coordinator.get_by_label("Titre", exact=True).fill("Réunion de rentrée")
    coordinator.get_by_label("Lieu", exact=True).fill("Mairie d'Allonnes")
    for number, (day, starts, ends) in enumerate((("2030-09-10", "09:30", "11:30"),
                                                  ("2030-09-12", "14:00", "16:00"))):
        row = coordinator.get_by_role("group", name=f"Créneau {number + 1}", exact=True)
        row.get_by_label("Date").fill(day)
        row.get_by_label("Début").fill(starts)
        row.get_by_label("Fin").fill(ends)
    coordinator.get_by_label("Clôture des réponses").fill("2030-09-01T18:00")
    coordinator.get_by_role("button", name="Ouvrir le sondage").click()
    expect(flash(coordinator)).to_contain_text("Le sondage est ouvert")
    expect(coordinator.get_by_role("heading", level=2)).to_contain_text("Réunion de rentrée")
    audit.check(coordinator)
    poll = db.session.scalar(select(Poll))
    first, second = (slot.id for slot in poll.slots)

    # --- Paul finds it on his dashboard and answers ---
    member = open_calm_page(open_page)
    sign_in(member, paul.email)
    dashboard = member.get_by_role("region", name="Sondages de date : votre avis")
    expect(dashboard).to_contain_text("pas encore de réponse")
    dashboard.get_by_role("link", name="Réunion de rentrée").click()
    audit.check(member)
    member.locator(f"#slot-{first}-yes").check()
    member.locator(f"#slot-{second}-no").check()
    member.get_by_label("Commentaire (facultatif)").fill("Le matin me convient mieux")
    member.get_by_role("button", name="Enregistrer ma réponse").click()
    expect(flash(member)).to_contain_text("Votre réponse est enregistrée")
    expect(member.locator(f"#slot-{first}-yes")).to_be_checked()
    table = member.get_by_role("table", name=re.compile("Pour chaque créneau"))
    expect(table.get_by_role("row").nth(1).get_by_role("cell")).to_contain_text(
        ["1", "0", "0", "1 sur 2"])
    expect(table.get_by_role("row").nth(1)).to_contain_text("Personne de : Allonnes")
    audit.check(member)

    # --- the same page on a phone ---
    member.set_viewport_size({"width": 375, "height": 800})
    member.reload()
    no_sideways_scroll(member)
    audit.check(member)
    shot = ARTIFACTS / "polls"
    shot.mkdir(parents=True, exist_ok=True)
    member.screenshot(path=str(Path(shot) / "poll-375.png"), full_page=True)

    # --- Claire keeps the first slot and confirms the pre-filled meeting ---
    coordinator.reload()
    coordinator.get_by_role("link", name=re.compile("Retenir ce créneau")).first.click()
    expect(coordinator.get_by_label("Titre", exact=True)).to_have_value("Réunion de rentrée")
    expect(coordinator.get_by_label("Début", exact=True)).to_have_value("2030-09-10T09:30")
    audit.check(coordinator)
    coordinator.get_by_role("button", name="Créer la réunion et prévenir").click()
    expect(coordinator.get_by_role("heading", level=2)).to_have_text("Réunion de rentrée")
    answers = coordinator.get_by_role("region", name="Réponses par commune")
    expect(answers.get_by_role("row").filter(has_text="Paul Leroy")).to_contain_text("oui")
    audit.check(coordinator)
    audit.finish()
