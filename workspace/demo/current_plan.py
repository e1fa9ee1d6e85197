"""The demo's current plan: the 2014-2020 scheme (demo/plan.py) continued by a second one
whose years hold the day the demo is loaded, with objectives of this year at every stage
and linked to the demo's meetings, workshops, needs and documents. So the yearly report
opens on this year and its charts count what the demo's networks did (demo/gatherings.py,
documents.py, topics.py are dated around today)."""
from __future__ import annotations

from sqlalchemy import select

from workspace.core.models import utcnow
from workspace.demo.gatherings import BUILDING, IT, MEETINGS, NEEDS, WORKSHOPS, network, user
from workspace.extensions import db
from workspace.meetings.models import Meeting
from workspace.needs.models import Need
from workspace.plan import links
from workspace.plan import service as plans
from workspace.plan.models import (
    KIND_FEASIBILITY,
    KIND_INFORMATION,
    KIND_OPPORTUNITY,
    KIND_PURCHASE,
    SEMESTER_FIRST,
    SEMESTER_SECOND,
    SEMESTER_YEAR,
    STATUS_DONE,
    STATUS_PLANNED,
    STATUS_UNDER_WAY,
    Objective,
    Plan,
    PlanAction,
)
from workspace.workshops.models import Workshop

TITLE = "Schéma de mutualisation des services : deuxième période"
ADMIN = "admin"

# (number, title, network, [(objective, semester, kind, status, progress, link)])
# link: ("meeting" | "workshop" | "need", index in gatherings' lists) or None
ACTIONS = [
    (1, "Mutualiser la messagerie, la GED et la sécurité informatique", IT, [
        ("Migrer les communes volontaires vers la messagerie Zimbra mutualisée",
         SEMESTER_FIRST, KIND_INFORMATION, STATUS_DONE,
         "Quota commun décidé ; Mulsanne et Arnage migrent ce trimestre.", ("meeting", 0)),
        ("Former les agents aux partages et délégations de la messagerie", SEMESTER_FIRST,
         KIND_INFORMATION, STATUS_DONE, "Atelier tenu, avis très positifs.", ("workshop", 0)),
        ("Un test de restauration des sauvegardes par trimestre dans chaque commune",
         SEMESTER_YEAR, KIND_OPPORTUNITY, STATUS_UNDER_WAY,
         "Allonnes a testé ; atelier pratique prévu.", ("meeting", 1)),
        ("Déployer la GED mutualisée pour les délibérations", SEMESTER_SECOND,
         KIND_FEASIBILITY, STATUS_UNDER_WAY, "Besoin partagé par trois communes.",
         ("need", 0)),
        ("Groupement de commandes pour les postes de travail", SEMESTER_SECOND,
         KIND_PURCHASE, STATUS_PLANNED, "", ("meeting", 3)),
    ]),
    (2, "Économiser l'énergie et partager l'assistance à maîtrise d'ouvrage", BUILDING, [
        ("Suivre les consommations d'énergie des écoles dans un tableau commun",
         SEMESTER_YEAR, KIND_INFORMATION, STATUS_UNDER_WAY,
         "Tableau décidé en réunion ; relevés attendus.", ("meeting", 4)),
        ("Former à la lecture des factures d'énergie", SEMESTER_FIRST, KIND_INFORMATION,
         STATUS_DONE, "Atelier complet, liste d'attente.", ("workshop", 3)),
        ("Étudier une cellule d'assistance à maîtrise d'ouvrage mutualisée", SEMESTER_SECOND,
         KIND_FEASIBILITY, STATUS_PLANNED, "", ("meeting", 5)),
    ]),
]


def _target_id(kind: str, index: int) -> str | None:
    if kind == "meeting":
        slug, title = MEETINGS[index][0], MEETINGS[index][1]
        model = Meeting
    elif kind == "workshop":
        slug, title = WORKSHOPS[index][0], WORKSHOPS[index][2]
        model = Workshop
    else:
        slug, title = NEEDS[index][0], NEEDS[index][2]
        model = Need
    found = db.session.scalar(select(model.id).where(model.network_id == network(slug).id,
                                                     model.title == title))
    return f"{kind}:{found}" if found else None


def load_demo_current_plan() -> bool:
    created = False
    admin = user(ADMIN)
    this_year = utcnow().year
    plan = db.session.scalar(select(Plan).where(Plan.title == TITLE))
    if plan is None:
        plan = plans.create_plan(admin, TITLE, this_year - 1, this_year + 4,
                                 "Prolonge le schéma 2014-2020 : mêmes réseaux, objectifs "
                                 "revus chaque année avec les communes.")
        created = True
    for number, title, slug, objectives in ACTIONS:
        action = db.session.scalar(select(PlanAction).where(PlanAction.plan_id == plan.id,
                                                            PlanAction.number == number))
        if action is None:
            action = plans.save_action(admin, plan, None, number, title, "",
                                       [network(slug)])
            created = True
        year = min(max(this_year, plan.first_year), plan.last_year)
        if db.session.scalar(select(Objective.id).where(Objective.action_id == action.id,
                                                        Objective.year == year)):
            continue
        for text, semester, kind, status, progress, link in objectives:
            objective = plans.save_objective(admin, action, None, plans.ObjectiveData(
                title=text, year=year, semester=semester, kind=kind, status=status,
                progress_note=progress))
            key = _target_id(*link) if link else None
            if key:
                links.add_link(admin, objective, key)
        created = True
    return created
