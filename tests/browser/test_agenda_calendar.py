"""The meeting agenda typed as rows, and the calendar pages, through the real UI.

The coordinator builds an agenda with the row buttons ("Ajouter un point", "Monter",
"Retirer": each posts the form and the server draws it again, so nothing depends on
JavaScript), is told in French about a duration that is not a number, then saves. A member
opens her calendar from the dashboard and the network's from its meetings page, on a phone
(375 px: no sideways scroll) and on a desktop. Every page is checked with axe-core.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, sign_in
from tests.browser.helpers import AccessibilityAudit, flash, network_tab, open_calm_page
from tests.calendar.helpers import make_workshop, paris

pytestmark = pytest.mark.browser


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url}: {width} px wide in a {viewport} px window"


def point(page: Page, number: int):
    return page.get_by_role("group", name=f"Point {number}", exact=True)


def test_agenda_rows_then_the_calendar(open_page, make_user, make_network):
    claire = make_user(first_name="Claire", last_name="Martin", email="claire@allonnes.fr")
    paul = make_user(first_name="Paul", last_name="Leroy", email="paul@coulaines.fr")
    network = make_network("Informatique", members=[paul], coordinators=[claire])
    make_workshop(claire, network, title="Atelier sauvegardes", starts_at=paris(2030, 5, 20, 9))
    audit = AccessibilityAudit()

    # --- Claire types the agenda row by row ---
    page = open_calm_page(open_page)
    sign_in(page, claire.email)
    page.goto(f"/n/{network.slug}/")
    network_tab(page, "Réunions").click()
    page.get_by_role("link", name="Programmer une réunion").click()
    page.get_by_label("Titre", exact=True).fill("Réunion de printemps")
    page.get_by_label("Début", exact=True).fill("2030-05-12T14:00")
    page.get_by_label("Fin", exact=True).fill("2030-05-12T16:00")
    page.get_by_label("Lieu", exact=True).fill("Mairie d'Allonnes")
    point(page, 1).get_by_label("Titre du point").fill("Sauvegardes")
    point(page, 1).get_by_label("Durée (minutes)").fill("700")
    page.get_by_role("button", name="Ajouter un point").click()
    expect(point(page, 2).get_by_label("Titre du point")).to_be_focused()
    expect(page.get_by_label("Titre", exact=True)).to_have_value("Réunion de printemps")
    expect(page.locator(".is-invalid")).to_have_count(0)  # a row button checks nothing
    audit.check(page)
    point(page, 2).get_by_label("Titre du point").fill("Messagerie Zimbra")
    point(page, 2).get_by_label("Intervenant").fill("Julien")
    page.get_by_role("button", name="Ajouter un point").click()
    point(page, 3).get_by_label("Titre du point").fill("Point à retirer")
    point(page, 2).get_by_role("button", name="Monter").click()
    expect(point(page, 1).get_by_label("Titre du point")).to_have_value("Messagerie Zimbra")
    expect(point(page, 2).get_by_label("Durée (minutes)")).to_have_value("700")
    point(page, 3).get_by_role("button", name="Retirer").click()
    expect(point(page, 3)).to_have_count(0)
    page.get_by_role("button", name="Enregistrer").click()
    expect(point(page, 2).get_by_text("La durée est un nombre de minutes, de 1 à 600.")
           ).to_be_visible()
    audit.check(page)
    point(page, 2).get_by_label("Durée (minutes)").fill("45")
    page.get_by_role("button", name="Enregistrer").click()
    expect(flash(page)).to_have_text("La réunion est programmée.")
    agenda = page.get_by_role("region", name="Ordre du jour")
    expect(agenda.get_by_role("listitem")).to_have_text(["Messagerie Zimbra — Julien",
                                                         "Sauvegardes 45 min"])

    # --- Paul, on a phone, opens his calendar from the dashboard ---
    phone = open_calm_page(open_page)
    phone.set_viewport_size({"width": 375, "height": 800})
    sign_in(phone, paul.email)
    phone.get_by_role("link", name="Mon calendrier").click()
    expect(phone.get_by_role("heading", level=2, name="Mon calendrier")).to_be_visible()
    phone.goto("/calendar/?month=2030-05")
    no_sideways_scroll(phone)
    days = phone.locator(".calendar-month-list")
    expect(days).to_contain_text("Dimanche 12 mai")
    expect(days).to_contain_text("14:00")
    expect(days).to_contain_text("Réunion de printemps")
    expect(days).to_contain_text("Atelier sauvegardes")
    audit.check(phone)
    shots = ARTIFACTS / "calendar"
    shots.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(Path(shots) / "month-375.png"), full_page=True)
    phone.get_by_role("link", name="Mois suivant →").click()
    expect(phone.get_by_text("Rien de prévu ce mois-ci.")).to_be_visible()
    phone.goto(f"/n/{network.slug}/calendar/?week=2030-W19")
    no_sideways_scroll(phone)
    expect(phone.get_by_role("listitem").filter(has_text="Dimanche 12 mai")).to_contain_text(
        "Réunion de printemps")
    audit.check(phone)

    # --- the same month on a desktop: a real table ---
    page.goto(f"/n/{network.slug}/meetings/")
    page.get_by_role("link", name="Calendrier", exact=True).click()
    page.goto(f"/n/{network.slug}/calendar/?month=2030-05")
    table = page.get_by_role("table", name="mai 2030")
    expect(table.get_by_role("columnheader")).to_have_count(7)
    expect(table.get_by_role("cell").filter(has_text="Réunion de printemps")).to_contain_text(
        "12")
    no_sideways_scroll(page)
    audit.check(page)
    page.screenshot(path=str(Path(shots) / "month-1280.png"), full_page=True)
    audit.finish()
