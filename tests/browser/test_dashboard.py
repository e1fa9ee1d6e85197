"""The dashboard in a real browser: a member signs in and finds, on the page that follows,
the workshop a coordinator has just opened in their network, with its date in French (Paris
time) and the member's registration status; then the network's activity page and its
private feed settings. Every page is checked with axe-core."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.helpers import AccessibilityAudit, network_tab
from workspace.extensions import db
from workspace.workshops import service as workshops

pytestmark = pytest.mark.browser


def test_member_sees_an_upcoming_workshop_on_the_dashboard(page: Page, make_user, make_network,
                                                           make_organisation):
    coulaines = make_organisation("Coulaines")
    claire = make_user(first_name="Claire", last_name="Martin")
    paul = make_user(first_name="Paul", last_name="Leroy", organisation_id=coulaines.id,
                     email="paul.leroy@coulaines.fr")
    outsider = make_user(first_name="Oscar", last_name="Dehors")
    network = make_network("Patrimoine bâti", members=[paul], coordinators=[claire])
    other = make_network("Voirie", coordinators=[outsider])
    start = datetime(2030, 3, 14, 8, 30, tzinfo=UTC)  # 9:30 in Paris (winter time)
    for where, who, title in ((network, claire, "Chaudières à condensation"),
                              (other, outsider, "Atelier d'un autre réseau")):
        workshops.save_workshop(who, where, None, workshops.WorkshopData(
            theme="Énergie", title=title, description="Visite de la chaufferie.",
            starts_at=start, ends_at=start + timedelta(hours=3), location="Mulsanne",
            capacity=12, seats_per_commune=None, registration_deadline=start - timedelta(days=2)))
    db.session.commit()
    audit = AccessibilityAudit()

    sign_in(page, paul.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Paul")
    box = page.get_by_role("region", name="Prochains ateliers")
    expect(box).to_contain_text("Chaudières à condensation")
    expect(box).to_contain_text("jeudi 14 mars 2030 à 09:30")
    expect(box).to_contain_text("pas d'inscription")
    expect(box).to_contain_text("Patrimoine bâti")
    expect(page.get_by_role("region", name="Quoi de neuf dans mes réseaux")).to_contain_text(
        "Atelier ouvert")
    expect(page.get_by_role("main")).not_to_contain_text("Atelier d'un autre réseau")
    audit.check(page)

    # the workshop's link leads to its page, where the member registers
    box.get_by_role("link", name="Chaudières à condensation").click()
    expect(page).to_have_url(re.compile(rf"/n/{network.slug}/workshops/\d+$"))
    page.get_by_role("button", name="M'inscrire", exact=True).click()
    expect(page.get_by_role("region", name="Votre inscription")).to_contain_text(
        "Votre inscription est confirmée.")
    page.goto("/")
    expect(page.get_by_role("region", name="Prochains ateliers")).to_contain_text(
        "inscription confirmée")

    # the network's activity page, and its private feed
    page.goto(f"/n/{network.slug}/")
    network_tab(page, "Activité").click()
    expect(page.get_by_role("heading", level=2, name="Activité du réseau")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Chaudières à condensation")
    audit.check(page)
    page.get_by_role("link", name="Flux Atom privé").click()
    page.get_by_role("button", name="Créer mon adresse de flux").click()
    address = page.get_by_label("Votre adresse de flux")
    expect(address).to_have_value(re.compile(r"^http://tilt\.test/activity/feed/.+\.atom$"))
    audit.check(page)
    audit.finish()
