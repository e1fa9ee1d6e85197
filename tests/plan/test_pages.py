"""Plan pages: calendar by semester, action pages, objectives and their links, who may do
what, and bad input answered in French without losing anything."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.conftest import text_of
from tests.plan.conftest import at
from workspace.core.errors import DomainError, PermissionDenied
from workspace.extensions import db
from workspace.meetings.models import Meeting
from workspace.plan import links, service
from workspace.plan.models import ActionReminder, Objective, ObjectiveLink
from workspace.workshops.models import Workshop


def _form(objective: Objective, **over) -> dict:
    data = {"title": objective.title, "year": str(objective.year),
            "semester": objective.semester, "kind": objective.kind,
            "status": objective.status, "progress_note": objective.progress_note,
            "number": str(objective.number)}
    data.update(over)
    return {f"o{objective.id}-{key}": value for key, value in data.items()}


def _switch(client, login, user):
    client.post("/logout")
    login(client, user)


def _workshop(network, title="Atelier Zimbra", when=None):
    workshop = Workshop(network_id=network.id, theme="Messagerie", title=title,
                        starts_at=when or at(2017, 5, 10), ends_at=when or at(2017, 5, 10),
                        capacity=10, registration_deadline=when or at(2017, 5, 9))
    db.session.add(workshop)
    db.session.commit()
    return workshop


# --- the calendar --------------------------------------------------------------------------

def test_network_calendar_by_semester(client, login, plan_world):
    w = plan_world
    login(client, w.member)
    response = client.get(f"/n/{w.network.slug}/plan/?year=2017")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    cells = dict(re.findall(r'<td data-semester="(\w+)">(.*?)</td>', html, re.S))
    assert "Présenter la messagerie Zimbra" in cells["s1"] and "Réalisé" in cells["s1"]
    assert "Étude d&#39;opportunité messagerie" in cells["s2"] and "En cours" in cells["s2"]
    assert "Harmoniser les parcs" in cells["year"] and "Prévu" in cells["year"]
    assert "Cellule AMO" not in html  # the building network's action
    assert ">Plan</a>" in html  # the network's tab
    empty = client.get(f"/n/{w.network.slug}/plan/?year=2018").get_data(as_text=True)
    assert "Présenter la messagerie" not in empty


def test_whole_plan_lists_only_what_the_user_may_see(client, login, plan_world):
    w = plan_world
    login(client, w.member)
    html = text_of(client.get(f"/plan/{w.plan.id}?year=2017"))
    assert "Présenter la messagerie Zimbra" in html and "Culture" in html
    assert "Cellule AMO" not in html and "Partager l'expertise bâti" not in html
    _switch(client, login, w.admin)
    html = text_of(client.get(f"/plan/{w.plan.id}?year=2017"))
    assert "Cellule AMO" in html and "Présenter la messagerie Zimbra" in html


def test_bad_years_are_explained(client, login, plan_world):
    w = plan_world
    login(client, w.member)
    for value in ("abc", "99999", "-3", "2017.5", "٢٠١٧"):
        response = client.get(f"/n/{w.network.slug}/plan/?year={value}")
        assert response.status_code == 200, value
        assert "n'est pas une année" in text_of(response), value
    response = client.get(f"/plan/actions/{w.action.id}?year=2030")
    assert response.status_code == 200
    assert "Choisissez une année entre 2014 et 2020" in text_of(response)


# --- access ----------------------------------------------------------------------------------

def test_outsider_gets_404_everywhere(client, login, plan_world, activity_2017):
    w = plan_world
    objective = w.objectives[0]
    link = links.add_link(w.coordinator, objective, f"meeting:{activity_2017.meeting.id}")
    db.session.commit()
    login(client, w.outsider)
    gets = [f"/n/{w.network.slug}/plan/", f"/n/{w.network.slug}/plan/?year=2017",
            f"/n/{w.network.slug}/plan/report?year=2017",
            f"/n/{w.network.slug}/plan/report.odt?year=2017",
            f"/n/{w.network.slug}/plan/report.pdf", f"/n/{w.network.slug}/plan/report.ods",
            f"/plan/actions/{w.action.id}", f"/plan/actions/{w.action.id}?year=2017"]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [f"/plan/actions/{w.action.id}", f"/plan/actions/{w.action.id}/reminder/2016",
             f"/plan/actions/{w.action.id}/objectives", f"/plan/objectives/{objective.id}",
             f"/plan/objectives/{objective.id}/delete", f"/plan/objectives/{objective.id}/links",
             f"/plan/objectives/{objective.id}/links/{link.id}/delete"]
    for url in posts:
        assert client.post(url, data=_form(objective, status="dropped")).status_code == 404, url
    assert db.session.get(Objective, objective.id).status == "done"
    assert db.session.get(ObjectiveLink, link.id) is not None


def test_members_read_coordinators_edit(client, login, plan_world):
    w = plan_world
    objective = w.objectives[2]
    login(client, w.member)
    page = text_of(client.get(f"/plan/actions/{w.action.id}?year=2017"))
    assert "Harmoniser les parcs" in page and "Modifier l'objectif" not in page
    assert client.post(f"/plan/objectives/{objective.id}",
                       data=_form(objective, status="done")).status_code == 403
    assert client.post(f"/plan/actions/{w.action.id}/objectives",
                       data={"title": "x"}).status_code == 403
    _switch(client, login, w.coordinator)
    assert "Modifier l'objectif" in text_of(client.get(f"/plan/actions/{w.action.id}"
                                                       "?year=2017"))
    response = client.post(f"/plan/objectives/{objective.id}",
                           data=_form(objective, status="done", progress_note="Recensement fait"))
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Objective, objective.id)
    assert (saved.status, saved.progress_note) == ("done", "Recensement fait")
    # the coordinator of the IT network does not edit the building network's action
    assert client.post(f"/plan/actions/{w.other_action.id}/objectives",
                       data={"title": "x"}).status_code == 404
    # an action without network: visible to all, edited by administrators
    assert client.get(f"/plan/actions/{w.open_action.id}").status_code == 200
    assert client.post(f"/plan/actions/{w.open_action.id}/objectives",
                       data={"title": "x"}).status_code == 403


def test_only_admins_manage_plans_and_actions(client, login, plan_world):
    w = plan_world
    login(client, w.coordinator)
    assert client.post("/plan/", data={"title": "Autre", "first_year": "2021",
                                       "last_year": "2026"}).status_code == 403
    assert client.post(f"/plan/actions/{w.action.id}",
                       data={"title": "Renommée"}).status_code == 403
    with pytest.raises(PermissionDenied):
        service.save_action(w.coordinator, w.plan, None, None, "x", "", [])
    _switch(client, login, w.admin)
    response = client.post(f"/plan/{w.plan.id}/actions",
                           data={"title": "Groupements de commandes", "number": "",
                                 "networks": [str(w.network.id), str(w.other.id)]})
    assert response.status_code == 302
    action = service.visible_actions(w.admin, w.plan)[-1]
    assert (action.number, action.title) == (4, "Groupements de commandes")
    assert action.network_ids == {w.network.id, w.other.id}


# --- objectives: creation, bad input ----------------------------------------------------

def test_coordinator_adds_an_objective_and_a_reminder(client, login, plan_world):
    w = plan_world
    login(client, w.coordinator)
    response = client.post(f"/plan/actions/{w.action.id}/objectives", data={
        "title": "Présenter le rôle du CIL", "year": "2017", "semester": "s2",
        "kind": "information", "status": "planned", "progress_note": "", "number": ""})
    assert response.status_code == 302 and "year=2017" in response.headers["Location"]
    created = db.session.scalar(select(Objective).where(
        Objective.title == "Présenter le rôle du CIL"))
    assert created.number == 4 and created.semester == "s2"
    response = client.post(f"/plan/actions/{w.action.id}/reminder/2016",
                           data={"text": "- lancement du réseau\n- état des lieux"})
    assert response.status_code == 302
    page = client.get(f"/plan/actions/{w.action.id}?year=2017").get_data(as_text=True)
    assert "<li>lancement du réseau</li>" in page and "Rappel des actions 2016" in page
    reminder = db.session.get(ActionReminder, (w.action.id, 2016))
    first_save = reminder.updated_at
    service.save_reminder(w.coordinator, w.action, 2016, reminder.text)
    assert reminder.updated_at == first_save  # the same text changes nothing


@pytest.mark.parametrize(("field", "value", "message"), [
    ("year", "abc", "Choisissez une année entre 2000 et 2100."),
    ("year", "99999", "Choisissez une année entre 2000 et 2100."),
    ("year", "2031", "Choisissez une année entre 2014 et 2020."),
    ("semester", "s3", "Semestre inconnu"),
    ("status", "finished", "État inconnu : prévu, en cours, réalisé ou abandonné."),
    ("kind", "party", "Type d'objectif inconnu."),
    ("number", "x", "Le numéro est un nombre entier."),
    ("number", "0", "Un numéro entre 1 et 99."),
    ("title", "   ", "Décrivez l'objectif."),
])
def test_bad_objective_input_keeps_what_is_stored(client, login, plan_world, field, value,
                                                  message):
    w = plan_world
    objective = w.objectives[0]
    login(client, w.coordinator)
    response = client.post(f"/plan/objectives/{objective.id}",
                           data=_form(objective, **{field: value, "progress_note": "nouveau"}))
    assert response.status_code == 200
    page = text_of(response)
    assert message in page
    assert "nouveau" in page  # what was typed is shown again
    db.session.expire_all()
    kept = db.session.get(Objective, objective.id)
    assert (kept.year, kept.semester, kept.status, kept.progress_note) == (2017, "s1", "done",
                                                                           "")


def test_bad_new_objective_is_refused(client, login, plan_world):
    w = plan_world
    login(client, w.coordinator)
    before = db.session.scalar(select(func.count()).select_from(Objective))
    response = client.post(f"/plan/actions/{w.action.id}/objectives", data={
        "title": "Un objectif", "year": "2017", "semester": "third", "kind": "other",
        "status": "planned"})
    assert response.status_code == 200
    assert "Semestre inconnu" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Objective)) == before
    with pytest.raises(DomainError):
        service.save_objective(w.coordinator, w.action, None, service.ObjectiveData(
            title="x", year=2017, semester="s1", kind="other", status="bogus"))


def test_bad_plan_and_action_input(client, login, plan_world):
    w = plan_world
    login(client, w.admin)
    response = client.post("/plan/", data={"title": "Plan", "first_year": "2020",
                                           "last_year": "2014"})
    assert response.status_code == 200
    assert "La dernière année du plan précède la première." in text_of(response)
    response = client.post(f"/plan/{w.plan.id}/actions", data={"title": "Doublon",
                                                                "number": "1"})
    assert "Le numéro 1 est déjà celui d'une autre action du plan." in text_of(response)
    response = client.post(f"/plan/{w.plan.id}/actions", data={"title": "X",
                                                                "networks": ["abc", "999"]})
    assert "Choisissez des réseaux dans la liste." in text_of(response)
    assert len(service.visible_actions(w.admin, w.plan)) == 3
    for url in ("/plan/99999999999", "/plan/actions/0", "/plan/actions/4294967296"):
        assert client.get(url).status_code == 404


# --- links ----------------------------------------------------------------------------------

def test_link_picker_and_links(client, login, plan_world, make_user):
    w = plan_world
    workshop = _workshop(w.network)
    foreign = _workshop(w.other, title="Atelier énergie (bâti)")
    objective = w.objectives[0]
    login(client, w.coordinator)
    page = client.get(f"/plan/actions/{w.action.id}?year=2017").get_data(as_text=True)
    assert f'value="workshop:{workshop.id}"' in page
    assert f'value="workshop:{foreign.id}"' not in page  # another network's workshop
    response = client.post(f"/plan/objectives/{objective.id}/links",
                           data={"target": f"workshop:{foreign.id}"})
    assert response.status_code == 302
    assert "n'appartient pas aux réseaux de l'action" in text_of(
        client.get(response.headers["Location"]))
    for bad in ("", "workshop:abc", "party:1", "meeting:99999", "workshop:-1", "workshop:²",
                "workshop:99999999999999999999"):
        response = client.post(f"/plan/objectives/{objective.id}/links", data={"target": bad})
        assert response.status_code == 302, bad
    assert db.session.scalar(select(func.count()).select_from(ObjectiveLink)) == 0
    for _twice in range(2):
        client.post(f"/plan/objectives/{objective.id}/links",
                    data={"target": f"workshop:{workshop.id}"})
    assert db.session.scalar(select(func.count()).select_from(ObjectiveLink)) == 1
    _switch(client, login, w.member)
    page = client.get(f"/plan/actions/{w.action.id}?year=2017").get_data(as_text=True)
    assert f'/n/{w.network.slug}/workshops/{workshop.id}' in page
    assert "Atelier — Atelier Zimbra" in page


def test_links_are_shown_only_to_who_may_see_the_target(client, login, plan_world):
    """An action shared by two networks: a member of one does not see links to the other."""
    w = plan_world
    shared = service.save_action(w.admin, w.plan, None, 9, "Action partagée", "",
                                 [w.network, w.other])
    objective = service.save_objective(w.admin, shared, None, service.ObjectiveData(
        title="Objectif partagé", year=2017, semester="s1", kind="other", status="done"))
    secret = Meeting(network_id=w.network.id, title="Réunion confidentielle informatique",
                     starts_at=at(2017, 2, 1), ends_at=at(2017, 2, 1), location="DSI")
    db.session.add(secret)
    db.session.flush()
    links.add_link(w.admin, objective, f"meeting:{secret.id}")
    db.session.commit()
    login(client, w.outsider)  # member of the building network only
    page = text_of(client.get(f"/plan/actions/{shared.id}?year=2017"))
    assert "Objectif partagé" in page and "confidentielle" not in page
    _switch(client, login, w.member)
    assert "Réunion confidentielle informatique" in text_of(
        client.get(f"/plan/actions/{shared.id}?year=2017"))


def test_delete_objective(client, login, plan_world):
    w = plan_world
    objective_id = w.objectives[1].id
    login(client, w.coordinator)
    assert client.post(f"/plan/objectives/{objective_id}/delete").status_code == 302
    assert db.session.scalar(select(Objective.id).where(Objective.id == objective_id)) is None


def test_demo_plan_is_idempotent(app):
    from workspace.demo import load_demo_data
    from workspace.plan.models import Plan, PlanAction

    assert load_demo_data() is True
    db.session.commit()
    assert load_demo_data() is False
    plan = db.session.scalar(select(Plan).order_by(Plan.id))  # the 2014-2020 scheme
    actions = db.session.scalars(select(PlanAction).where(PlanAction.plan_id == plan.id)
                                 .order_by(PlanAction.number)).all()
    assert [a.number for a in actions] == [1, 2, 3]
    assert [n.slug for n in actions[0].networks] == ["reseau-informatique"]
    assert [n.slug for n in actions[1].networks] == ["reseau-patrimoine-bati"]
    assert actions[2].networks == []
    counts = service.objectives_for(actions, 2017)
    assert [len(counts[a.id]) for a in actions] == [3, 3, 6]
    assert plan.first_year == 2014 and plan.last_year == 2020
    assert "correspondants informatique" in db.session.get(ActionReminder,
                                                           (actions[0].id, 2016)).text


def test_admin_creates_a_plan_and_lists_it(client, login, plan_world):
    w = plan_world
    login(client, w.admin)
    response = client.post("/plan/", data={"title": "Schéma 2021-2026", "first_year": "2021",
                                           "last_year": "2026", "description": "**Nouveau**"})
    assert response.status_code == 302
    plan_url = response.headers["Location"]
    page = text_of(client.get(plan_url))
    assert "Schéma 2021-2026 2021-2026" in page and "Aucune action à afficher." in page
    assert "Ajouter une action prioritaire" in page
    listing = text_of(client.get("/plan/"))
    assert "Schéma 2021-2026" in listing and "Schéma de mutualisation des services" in listing
    _switch(client, login, w.member)
    assert "Créer un plan" not in text_of(client.get("/plan/"))
    assert "Ajouter une action prioritaire" not in text_of(client.get(plan_url))


def test_moving_an_objective_to_another_year_renumbers_it(plan_world):
    w = plan_world
    moved = service.save_objective(w.coordinator, w.action, w.objectives[0], service.ObjectiveData(
        title="Présenter la messagerie Zimbra", year=2018, semester="s1", kind="information",
        status="planned"))
    assert (moved.year, moved.number) == (2018, 1)
    assert [o.number for o in service.objectives_for([w.action], 2017)[w.action.id]] == [2, 3]


def test_a_finished_plan_opens_on_its_last_year_with_objectives(app):
    """Read in 2026, a 2014-2020 plan whose objectives are for 2017 opens on 2017."""
    from workspace.extensions import db
    from workspace.plan.models import Objective, Plan, PlanAction
    from workspace.plan.service import default_year

    plan = Plan(title="Schéma", first_year=2014, last_year=2020)
    action = PlanAction(plan=plan, number=1, title="Partager les outils")
    db.session.add_all([plan, action])
    db.session.flush()
    db.session.add(Objective(action_id=action.id, year=2017, number=1, title="Zimbra",
                             semester="s1", kind="other", status="planned"))
    db.session.commit()
    assert default_year(2014, 2020) == 2017
    assert default_year(2021, 2022) == 2022  # nothing in range: the nearest end
