"""Meetings and workshops of a network through the real UI.

Meetings: the coordinator schedules a meeting with its agenda, a member answers, the
coordinator reads the answers by commune, writes the minutes and an action item, and the
action is carried to the next meeting's agenda.
Workshops: a full workshop puts a member on the waiting list; a cancellation gives them the
seat, and the e-mail says so.

Every page visited is checked with axe-core (serious and critical violations fail the test).
"""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.helpers import AccessibilityAudit, body_of, flash, network_tab, open_calm_page
from workspace.extensions import db
from workspace.meetings import service as meetings
from workspace.workshops import service as workshops

pytestmark = pytest.mark.browser


# --- meetings ----------------------------------------------------------------------------

def open_meetings(page: Page, slug: str, audit: AccessibilityAudit) -> None:
    """From the network's page, the "Réunions" tab."""
    page.goto(f"/n/{slug}/")
    network_tab(page, "Réunions").click()
    expect(page.get_by_role("heading", level=2, name="Réunions")).to_be_visible()
    audit.check(page)


def meetings_under(page: Page, heading: str):
    """The list of meetings that follows the "À venir" or "Passées" heading."""
    return page.get_by_role("heading", level=3, name=heading, exact=True).locator(
        "xpath=following-sibling::ul[1]")


def schedule_meeting(page: Page, audit: AccessibilityAudit, *, title: str, starts: str,
                     ends: str, place: str, agenda: tuple = ()) -> None:
    """Réunions → "Programmer une réunion" → the form → "Enregistrer". The agenda is typed
    row by row, "Ajouter un point" giving the next row (a server round trip)."""
    page.get_by_role("link", name="Programmer une réunion").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Programmer une réunion")
    audit.check(page)
    page.get_by_label("Titre", exact=True).fill(title)
    for label, value in (("Début", starts), ("Fin", ends)):  # datetime-local inputs
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("type", "datetime-local")
        field.fill(value)
        expect(field).to_have_value(value)
    page.get_by_label("Lieu", exact=True).fill(place)
    for number, (point, presenter, minutes) in enumerate(agenda, start=1):
        row = page.get_by_role("group", name=f"Point {number}", exact=True)
        if number > 1:
            page.get_by_role("button", name="Ajouter un point").click()
            expect(row.get_by_label("Titre du point")).to_be_focused()
        row.get_by_label("Titre du point").fill(point)
        row.get_by_label("Intervenant").fill(presenter)
        row.get_by_label("Durée (minutes)").fill(minutes)
    page.get_by_role("button", name="Enregistrer").click()
    expect(flash(page)).to_have_text("La réunion est programmée.")
    expect(page.get_by_role("heading", level=2)).to_have_text(title)


def test_meeting_agenda_answers_minutes_and_carried_action(open_page, make_user, make_network,
                                                           make_organisation):
    allonnes, sarge = make_organisation("Allonnes"), make_organisation("Sargé-lès-le-Mans")
    claire = make_user(first_name="Claire", last_name="Martin", organisation=allonnes,
                       email="claire.martin@allonnes.fr")
    paul = make_user(first_name="Paul", last_name="Leroy", organisation=sarge,
                     email="paul.leroy@sarge.fr")
    network = make_network("Informatique", members=[paul], coordinators=[claire])
    # a meeting of last year, already held
    meetings.save_meeting(claire, network, None, meetings.MeetingData(
        title="Réunion de rentrée", description="",
        starts_at=datetime(2024, 9, 17, 12, 0, tzinfo=UTC),
        ends_at=datetime(2024, 9, 17, 14, 0, tzinfo=UTC),
        location="Mairie d'Allonnes"))
    db.session.commit()
    slug = network.slug
    audit = AccessibilityAudit()

    # --- Claire schedules the meeting, with a two-line agenda ---
    coordinator = open_calm_page(open_page)
    sign_in(coordinator, claire.email)
    open_meetings(coordinator, slug, audit)
    expect(meetings_under(coordinator, "Passées")).to_contain_text("Réunion de rentrée")
    expect(meetings_under(coordinator, "À venir")).to_contain_text("Aucune réunion.")
    schedule_meeting(coordinator, audit, title="Réunion de printemps",
                     starts="2030-05-12T14:00", ends="2030-05-12T16:30",
                     place="Hôtel de communauté, Le Mans",
                     agenda=(("Messagerie Zimbra", "Julien", "30"),
                             ("Sauvegardes des mairies", "Claire", "45")))
    first_url = coordinator.url
    details = coordinator.get_by_role("main").locator("dl")
    expect(details).to_contain_text("12 mai 2030 à 14:00")  # Paris time, as typed
    expect(details).to_contain_text("Hôtel de communauté, Le Mans")
    agenda = coordinator.get_by_role("region", name="Ordre du jour")
    expect(agenda.get_by_role("listitem")).to_have_text([
        "Messagerie Zimbra — Julien 30 min", "Sauvegardes des mairies — Claire 45 min"])
    audit.check(coordinator)

    # --- Paul answers "Je viens" ---
    member = open_calm_page(open_page)
    sign_in(member, paul.email)
    open_meetings(member, slug, audit)
    expect(member.get_by_role("link", name="Programmer une réunion")).to_have_count(0)
    meetings_under(member, "À venir").get_by_role("link", name="Réunion de printemps").click()
    expect(member.get_by_role("heading", level=2)).to_have_text("Réunion de printemps")
    expect(member.get_by_role("region", name="Ordre du jour")).to_contain_text(
        "Messagerie Zimbra")
    # the answers by commune are for the coordinators
    expect(member.get_by_role("region", name="Réponses par commune")).to_have_count(0)
    audit.check(member)
    answer = member.get_by_role("region", name="Votre réponse")
    answer.get_by_role("button", name="Je viens").click()
    expect(flash(member)).to_have_text("Votre réponse est enregistrée.")
    expect(answer.get_by_role("button", name="Je viens")).to_have_attribute(
        "aria-pressed", "true")
    audit.check(member)

    # --- Claire sees Paul's "oui" in the answers by commune ---
    coordinator.reload()
    answers = coordinator.get_by_role("region", name="Réponses par commune")
    paul_row = answers.get_by_role("row").filter(has_text="Paul Leroy")
    expect(paul_row.get_by_role("cell")).to_have_text(["Sargé-lès-le-Mans", "Paul Leroy",
                                                       "oui"])
    claire_row = answers.get_by_role("row").filter(has_text="Claire Martin")
    expect(claire_row.get_by_role("cell")).to_have_text(["Allonnes", "Claire Martin", "—"])
    audit.check(coordinator)

    # --- a second, later meeting ---
    open_meetings(coordinator, slug, audit)
    schedule_meeting(coordinator, audit, title="Réunion d'été",
                     starts="2030-06-09T14:00", ends="2030-06-09T16:00",
                     place="Mairie de Coulaines", agenda=(("Bilan des sauvegardes", "Paul", "20"),))
    audit.check(coordinator)
    open_meetings(coordinator, slug, audit)
    upcoming = meetings_under(coordinator, "À venir")
    expect(upcoming.get_by_role("link")).to_have_text(["Réunion de printemps",
                                                       "Réunion d'été"])

    # --- on the first meeting: the minutes (Markdown) and an action for a commune ---
    upcoming.get_by_role("link", name="Réunion de printemps").click()
    expect(coordinator).to_have_url(first_url)
    minutes = coordinator.get_by_role("region", name="Compte rendu")
    expect(minutes).to_contain_text("Pas encore de compte rendu.")
    minutes.get_by_role("link", name="Rédiger le compte rendu").click()
    expect(coordinator.get_by_role("heading", level=2)).to_have_text(
        "Compte rendu de « Réunion de printemps »")
    audit.check(coordinator)
    coordinator.get_by_label("Compte rendu").fill(
        "Le quota des boîtes partagées passe à **10 Go**.\n\n"
        "- Sauvegardes : tester la restauration\n- Prochaine réunion en juin")
    coordinator.get_by_role("button", name="Enregistrer").click()
    expect(flash(coordinator)).to_have_text("Compte rendu enregistré.")
    expect(coordinator).to_have_url(re.compile(r"/meetings/\d+#minutes$"))
    minutes = coordinator.get_by_role("region", name="Compte rendu")
    expect(minutes.locator(".prose strong")).to_have_text("10 Go")
    expect(minutes.locator(".prose li")).to_have_count(2)
    expect(minutes.get_by_role("link", name="Modifier le compte rendu")).to_be_visible()
    audit.check(coordinator)

    actions = coordinator.get_by_role("region", name="Actions décidées")
    expect(actions).to_contain_text("Aucune action.")
    actions.get_by_label("Action", exact=True).fill("Tester la restauration des sauvegardes")
    actions.get_by_label("Responsable").select_option(label="Commune : Sargé-lès-le-Mans")
    actions.get_by_label("Échéance").fill("2030-06-01")
    actions.get_by_role("button", name="Ajouter l'action").click()
    expect(flash(coordinator)).to_contain_text("Action ajoutée")
    expect(coordinator).to_have_url(re.compile(r"/meetings/\d+#actions$"))
    actions = coordinator.get_by_role("region", name="Actions décidées")
    row = actions.get_by_role("row").filter(has_text="Tester la restauration des sauvegardes")
    expect(row.get_by_role("cell").nth(1)).to_have_text("Sargé-lès-le-Mans")
    expect(row.get_by_role("cell").nth(2)).to_have_text("1 juin 2030")
    expect(row.get_by_label("État de l'action Tester la restauration des sauvegardes")
           ).to_have_value("open")
    # not carried to its own meeting
    expect(coordinator.get_by_role("heading", name="Suivi des actions en cours")
           ).to_have_count(0)
    audit.check(coordinator)

    # --- the second meeting's agenda follows the open action ---
    open_meetings(coordinator, slug, audit)
    meetings_under(coordinator, "À venir").get_by_role("link", name="Réunion d'été").click()
    expect(coordinator.get_by_role("heading", level=2)).to_have_text("Réunion d'été")
    agenda = coordinator.get_by_role("region", name="Ordre du jour")
    expect(agenda.get_by_role("list").first.get_by_role("listitem")).to_have_text([
        "Bilan des sauvegardes — Paul 20 min"])
    carried = agenda.get_by_role("heading", name="Suivi des actions en cours")
    expect(carried).to_be_visible()
    expect(carried.locator("xpath=following-sibling::ul[1]").get_by_role("listitem")
           ).to_have_text(["Tester la restauration des sauvegardes — Sargé-lès-le-Mans · "
                           "échéance 1 juin 2030"])
    audit.check(coordinator)

    audit.finish()


def test_meeting_scheduled_before_its_agenda_is_known(page: Page, make_user, make_network):
    """The agenda is optional ("L'ordre du jour n'est pas encore fixé." on the meeting's
    page), so a meeting may be scheduled with the field left empty."""
    claire = make_user(first_name="Claire", last_name="Martin")
    network = make_network("Informatique", coordinators=[claire])
    audit = AccessibilityAudit()
    page.emulate_media(reduced_motion="reduce")
    sign_in(page, claire.email)
    open_meetings(page, network.slug, audit)
    schedule_meeting(page, audit, title="Réunion d'été", starts="2030-06-09T14:00",
                     ends="2030-06-09T16:00", place="Mairie de Coulaines")
    expect(page.get_by_role("region", name="Ordre du jour")).to_contain_text(
        "L'ordre du jour n'est pas encore fixé.")
    audit.check(page)
    audit.finish()


# --- workshops ---------------------------------------------------------------------------

WORKSHOP = "Zimbra : partager une boîte sans partager son mot de passe"


def test_full_workshop_waiting_list_then_promotion(open_page, make_user, make_network,
                                                   make_organisation, mailbox):
    coulaines, sarge = make_organisation("Coulaines"), make_organisation("Sargé-lès-le-Mans")
    claire = make_user(first_name="Claire", last_name="Martin")
    lucie = make_user(first_name="Lucie", last_name="Garnier", organisation=coulaines,
                      email="lucie.garnier@coulaines.fr")
    paul = make_user(first_name="Paul", last_name="Leroy", organisation=sarge,
                     email="paul.leroy@sarge.fr")
    network = make_network("Informatique", members=[lucie, paul], coordinators=[claire])
    workshop = workshops.save_workshop(claire, network, None, workshops.WorkshopData(
        theme="Zimbra", title=WORKSHOP, description="Les **délégations** de boîtes partagées.",
        starts_at=datetime(2030, 3, 19, 8, 30, tzinfo=UTC),  # 9 h 30 in Paris
        ends_at=datetime(2030, 3, 19, 11, 0, tzinfo=UTC),
        location="Salle informatique, mairie de Coulaines", capacity=1,
        seats_per_commune=None,
        registration_deadline=datetime(2030, 3, 18, 17, 0, tzinfo=UTC)))
    db.session.commit()
    workshops.register(lucie, workshop.id)  # the only seat
    db.session.commit()
    slug, workshop_id = network.slug, workshop.id
    mailbox.clear()
    audit = AccessibilityAudit()

    # --- Paul finds the workshop full and joins the waiting list ---
    waiting = open_calm_page(open_page)
    sign_in(waiting, paul.email)
    waiting.goto(f"/n/{slug}/")
    network_tab(waiting, "Ateliers").click()
    expect(waiting.get_by_role("heading", level=2, name="Ateliers à venir")).to_be_visible()
    row = waiting.get_by_role("table", name="Ateliers à venir").get_by_role("row").filter(
        has_text=WORKSHOP)
    expect(row).to_contain_text("Aucune place restante sur 1")
    expect(row).to_contain_text("pas d'inscription")
    audit.check(waiting)
    row.get_by_role("link", name=WORKSHOP).click()
    expect(waiting).to_have_url(re.compile(rf"/n/{slug}/workshops/{workshop_id}$"))
    expect(waiting.get_by_role("heading", level=2)).to_have_text(WORKSHOP)
    seats = waiting.locator(".seats-left")
    expect(seats).to_have_text("Aucune place restante sur 1 complet — liste d'attente")
    mine = waiting.get_by_role("region", name="Votre inscription")
    audit.check(waiting)

    mine.get_by_role("button", name="M'inscrire sur la liste d'attente").click()
    expect(flash(waiting)).to_have_text(
        "L'atelier est complet : vous êtes sur la liste d'attente (position 1).")
    expect(mine).to_contain_text("Vous êtes sur la liste d'attente, en position 1.")
    expect(mine.get_by_role("button", name="Quitter la liste d'attente")).to_be_visible()
    expect(seats).to_contain_text("Aucune place restante sur 1")
    audit.check(waiting)
    assert mailbox.to(paul.email) == []

    # --- Lucie, in her own browser, cancels her registration ---
    confirmed = open_calm_page(open_page)
    sign_in(confirmed, lucie.email)
    confirmed.goto(f"/n/{slug}/workshops/{workshop_id}")
    her = confirmed.get_by_role("region", name="Votre inscription")
    expect(her).to_contain_text("Votre inscription est confirmée.")
    audit.check(confirmed)
    dialogs: list[str] = []

    def accept(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    confirmed.once("dialog", accept)
    her.get_by_role("button", name="Annuler mon inscription").click()
    expect(flash(confirmed)).to_have_text("Inscription annulée.")
    assert dialogs == ["Annuler votre inscription à cet atelier ?"]
    # the seat went to Paul at once: still no seat for anybody else
    expect(her.get_by_role("button", name="M'inscrire sur la liste d'attente")).to_be_visible()
    audit.check(confirmed)

    # --- Paul is told by e-mail, and the page shows him confirmed ---
    [promotion] = mailbox.to(paul.email)
    assert promotion["Subject"] == f"Une place s'est libérée : {WORKSHOP}"
    text = body_of(promotion)
    assert "votre inscription est maintenant confirmée" in text
    assert f"http://tilt.test/n/{slug}/workshops/{workshop_id}" in text
    assert mailbox.to(lucie.email) == []

    waiting.reload()
    mine = waiting.get_by_role("region", name="Votre inscription")
    expect(mine).to_contain_text("Votre inscription est confirmée.")
    expect(mine).not_to_contain_text("liste d'attente")
    expect(mine.get_by_role("button", name="Annuler mon inscription")).to_be_visible()
    expect(waiting.locator(".seats-left")).to_contain_text("Aucune place restante sur 1")
    audit.check(waiting)
    network_tab(waiting, "Ateliers").click()
    row = waiting.get_by_role("table", name="Ateliers à venir").get_by_role("row").filter(
        has_text=WORKSHOP)
    expect(row).to_contain_text("inscription confirmée")
    audit.check(waiting)

    audit.finish()
