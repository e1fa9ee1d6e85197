"""The pooling plan through the real UI: a coordinator marks an objective done and links the
workshop that achieved it; the progress report then shows it, and every chart's figures are
those of the table beside it. Every page visited is checked with axe-core."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.helpers import AccessibilityAudit, flash, network_tab, open_calm_page
from workspace.extensions import db
from workspace.plan import service
from workspace.workshops.models import Registration, Workshop

pytestmark = pytest.mark.browser


def chart_and_table_figures(page: Page, chart_id: str) -> tuple[dict, dict]:
    """(label -> value) drawn in the chart, and in the table beside it."""
    bars = page.locator(f"#{chart_id} g.bar")
    drawn = {bars.nth(i).get_attribute("data-label"): int(bars.nth(i).get_attribute(
        "data-value")) for i in range(bars.count())}
    rows = page.locator(f"#{chart_id}").locator(
        "xpath=ancestor::div[contains(@class,'plan-figures')]//tbody/tr")
    table = {rows.nth(i).locator("th").inner_text().strip(): int(rows.nth(i).locator(
        "td").inner_text()) for i in range(rows.count())}
    return drawn, table


def test_coordinator_marks_done_links_workshop_and_report_shows_it(
        open_page, make_user, make_network, make_organisation):
    allonnes, sarge = make_organisation("Allonnes"), make_organisation("Sargé-lès-le-Mans")
    claire = make_user(first_name="Claire", last_name="Martin", organisation=allonnes,
                       email="claire.martin@allonnes.fr")
    paul = make_user(first_name="Paul", last_name="Leroy", organisation=sarge,
                     email="paul.leroy@sarge.fr")
    admin = make_user(is_admin=True)
    network = make_network("Informatique", members=[paul], coordinators=[claire])
    plan = service.create_plan(admin, "Schéma de mutualisation des services", 2014, 2020)
    action = service.save_action(admin, plan, None, 1, "Partager les systèmes d'information",
                                 "", [network])
    objective = service.save_objective(claire, action, None, service.ObjectiveData(
        title="Présenter la messagerie Zimbra", year=2017, semester="s1", kind="information",
        status="planned"))
    service.save_objective(claire, action, None, service.ObjectiveData(
        title="Étude d'opportunité messagerie", year=2017, semester="s2", kind="opportunity",
        status="under_way"))
    start = datetime(2017, 5, 10, 8, tzinfo=UTC)
    workshop = Workshop(network_id=network.id, theme="Messagerie", title="Atelier Zimbra",
                        starts_at=start, ends_at=start.replace(hour=10), capacity=10,
                        registration_deadline=start, confirmed_count=2)
    db.session.add(workshop)
    db.session.flush()
    for user, attended in ((paul, True), (claire, False)):
        db.session.add(Registration(workshop_id=workshop.id, user_id=user.id, status="confirmed",
                                    organisation_id=user.organisation_id, attended=attended))
    db.session.commit()
    audit = AccessibilityAudit()
    page = open_calm_page(open_page)
    sign_in(page, claire.email)

    # the network's tab, then the year 2017
    page.goto(f"/n/{network.slug}/")
    network_tab(page, "Plan").click()
    page.get_by_label("Année").select_option("2017")
    page.get_by_role("button", name="Afficher").click()
    calendar = page.get_by_role("table", name="Calendrier prévisionnel 2017")
    expect(calendar.locator("td[data-semester='s1']")).to_contain_text(
        "Présenter la messagerie Zimbra")
    expect(calendar.locator("td[data-semester='s1']")).to_contain_text("Prévu")
    audit.check(page)

    # the action's page: mark objective 1 done
    calendar.get_by_role("link", name="Action prioritaire 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Action prioritaire 1")
    audit.check(page)
    card = page.locator(f"#objective-{objective.id}")
    card.get_by_text("Modifier l'objectif n° 1").click()
    card.get_by_label("État").select_option(label="Réalisé")
    card.get_by_label("Note d'avancement").fill("Atelier tenu le 10 mai")
    card.get_by_role("button", name="Enregistrer l'objectif").click()
    expect(flash(page)).to_contain_text("L'objectif n° 1 est enregistré.")
    card = page.locator(f"#objective-{objective.id}")
    expect(card).to_contain_text("Réalisé")
    expect(card).to_contain_text("Atelier tenu le 10 mai")

    # link the workshop with the picker
    card.get_by_label("Lier à l'objectif n° 1").select_option(value=f"workshop:{workshop.id}")
    card.get_by_role("button", name="Lier", exact=True).click()
    expect(flash(page)).to_contain_text("Le lien est ajouté à l'objectif n° 1.")
    link = page.locator(f"#objective-{objective.id}").get_by_role(
        "link", name=re.compile("Atelier — Atelier Zimbra"))
    expect(link).to_have_attribute("href", f"/n/{network.slug}/workshops/{workshop.id}")
    audit.check(page)

    # the progress report
    page.goto(f"/n/{network.slug}/plan/?year=2017")
    page.get_by_role("link", name="État d'avancement 2017").click()
    expect(page.get_by_role("heading", level=2, name="État d'avancement 2017")).to_be_visible()
    row = page.locator(f"tr[data-objective='{objective.id}']")
    expect(row).to_contain_text("Réalisé")
    expect(row).to_contain_text("Atelier tenu le 10 mai")
    drawn, table = chart_and_table_figures(page, "chart-status")
    assert drawn == table == {"Prévu": 0, "En cours": 1, "Réalisé": 1, "Abandonné": 0}
    drawn, table = chart_and_table_figures(page, "chart-activity")
    assert drawn == table
    assert table["Ateliers tenus"] == 1 and table["Présences aux ateliers"] == 1
    assert table["Inscriptions confirmées aux ateliers"] == 2
    communes = page.get_by_role("table", name="Participation par commune")
    expect(communes.locator("tbody tr")).to_have_count(2)
    expect(communes).to_contain_text("Sargé-lès-le-Mans")
    bars = page.locator("#chart-workshops g.bar")
    assert {bars.nth(i).get_attribute("data-label"): bars.nth(i).get_attribute("data-value")
            for i in range(bars.count())} == {"Allonnes": "0", "Sargé-lès-le-Mans": "1"}
    expect(page.locator("#chart-status")).to_have_attribute("role", "img")
    audit.check(page)
    audit.finish()
