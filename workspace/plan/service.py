"""Operations on the plan: plans, actions, reminders, objectives. Services flush, never
commit; every refusal is a DomainError with a French message."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.markdown import render_markdown
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.networks.access import visible_network_ids
from workspace.networks.models import Network
from workspace.plan.access import can_edit_action, can_manage_plan, can_view_action
from workspace.plan.models import (
    FIRST_YEAR,
    KINDS,
    LAST_YEAR,
    SEMESTERS,
    STATUSES,
    ActionReminder,
    Objective,
    Plan,
    PlanAction,
)

SEMESTER_LABELS = {"s1": _l("1er semestre"), "s2": _l("2nd semestre"),
                   "year": _l("Toute l'année")}
KIND_LABELS = {"information": _l("Information ou formation"),
               "opportunity": _l("Étude d'opportunité"),
               "feasibility": _l("Étude de faisabilité"), "purchase": _l("Achat"),
               "other": _l("Autre")}
STATUS_LABELS = {"planned": _l("Prévu"), "under_way": _l("En cours"), "done": _l("Réalisé"),
                 "dropped": _l("Abandonné")}
MAX_OBJECTIVES = 99


@dataclass
class ObjectiveData:
    title: str
    year: int
    semester: str
    kind: str
    status: str
    progress_note: str = ""
    number: int | None = None  # None: after the last objective of the year


def check_year(year: int, plan: Plan | None = None) -> None:
    first, last = (plan.first_year, plan.last_year) if plan else (FIRST_YEAR, LAST_YEAR)
    if not first <= year <= last:
        raise DomainError(_("Choisissez une année entre %(first)d et %(last)d.",
                            first=first, last=last))


def parse_year(raw: str | None, default: int, first: int = FIRST_YEAR,
               last: int = LAST_YEAR) -> tuple[int, str]:
    """The year asked in a query string, or the default with a message saying why."""
    if raw is None or raw == "":
        return default, ""
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        return default, _("« %(value)s » n'est pas une année : l'année %(year)d est affichée.",
                          value=raw[:20], year=default)
    if not first <= int(text) <= last:
        return default, _("Choisissez une année entre %(first)d et %(last)d : l'année "
                          "%(year)d est affichée.", first=first, last=last, year=default)
    return int(text), ""


def default_year(first: int, last: int) -> int:
    """This year when the range holds it; past the range, the latest year of the range
    that has objectives (a 2014-2020 plan read in 2026 opens on its last busy year, not on
    an empty 2020); else the range's nearest end."""
    this_year = utcnow().year
    if first <= this_year <= last:
        return this_year
    busy = db.session.scalar(select(func.max(Objective.year)).where(
        Objective.year.between(first, min(last, this_year))))
    return busy if busy is not None else min(max(this_year, first), last)


def year_range(actions: list[PlanAction]) -> tuple[int, int]:
    """The years covered by the plans of these actions (this year when there is none)."""
    if not actions:
        return utcnow().year, utcnow().year
    return (min(a.plan.first_year for a in actions), max(a.plan.last_year for a in actions))


# --- plans and actions ------------------------------------------------------------------

def plans() -> list[Plan]:
    return list(db.session.scalars(select(Plan).order_by(Plan.first_year.desc(), Plan.id)))


def create_plan(user, title: str, first_year: int, last_year: int,
                description: str = "") -> Plan:
    if not can_manage_plan(user):
        raise PermissionDenied(_("Seuls les administrateurs créent un plan."))
    check_year(first_year)
    check_year(last_year)
    if last_year < first_year:
        raise DomainError(_("La dernière année du plan précède la première."))
    plan = Plan(title=title.strip(), first_year=first_year, last_year=last_year,
                description=description)
    db.session.add(plan)
    db.session.flush()
    return plan


def save_action(user, plan: Plan, action: PlanAction | None, number: int | None, title: str,
                axis: str, networks: list[Network]) -> PlanAction:
    """Create (action None) or change an action; the number is unique within the plan."""
    if not can_manage_plan(user):
        raise PermissionDenied(_("Seuls les administrateurs créent ou modifient une action."))
    if number is None:
        number = (db.session.scalar(select(func.max(PlanAction.number))
                                    .where(PlanAction.plan_id == plan.id)) or 0) + 1
    taken = db.session.scalar(select(PlanAction.id).where(
        PlanAction.plan_id == plan.id, PlanAction.number == number))
    if taken is not None and (action is None or taken != action.id):
        raise DomainError(_("Le numéro %(number)d est déjà celui d'une autre action du plan.",
                            number=number))
    if action is None:
        action = PlanAction(plan=plan)
        db.session.add(action)
    action.number, action.title, action.axis = number, title.strip(), axis.strip()
    action.networks = list(networks)
    db.session.flush()
    return action


def visible_actions(user, plan: Plan) -> list[PlanAction]:
    """The plan's actions that the user may see, in order (networks loaded in one query)."""
    actions = db.session.scalars(select(PlanAction).where(PlanAction.plan_id == plan.id)
                                 .options(selectinload(PlanAction.networks))
                                 .order_by(PlanAction.number)).all()
    visible = visible_network_ids(user)
    return [action for action in actions if can_view_action(user, action, visible)]


def network_actions(network: Network) -> list[PlanAction]:
    """Actions of every plan that this network takes part in, plan by plan, in order."""
    from workspace.plan.models import plan_action_networks as links

    return list(db.session.scalars(
        select(PlanAction).join(links, links.c.action_id == PlanAction.id)
        .where(links.c.network_id == network.id).join(Plan)
        .options(selectinload(PlanAction.networks), selectinload(PlanAction.plan))
        .order_by(Plan.first_year.desc(), PlanAction.number)))


# --- reminders and objectives ------------------------------------------------------------

def _require_editor(user, action: PlanAction) -> None:
    if not can_edit_action(user, action):
        raise PermissionDenied(_("Seuls les coordinateurs des réseaux de l'action peuvent "
                                 "la modifier."))


def reminders_for(actions: list[PlanAction], year: int) -> dict[int, ActionReminder]:
    """Reminders of the year before `year` ("rappel des actions 2016" for 2017)."""
    if not actions:
        return {}
    rows = db.session.scalars(select(ActionReminder).where(
        ActionReminder.action_id.in_([a.id for a in actions]), ActionReminder.year == year - 1))
    return {row.action_id: row for row in rows}


def save_reminder(user, action: PlanAction, year: int, text: str) -> ActionReminder:
    """The reminder of what was done in `year`; saving the same text changes nothing."""
    _require_editor(user, action)
    check_year(year)
    reminder = db.session.get(ActionReminder, (action.id, year))
    if reminder is None:
        reminder = ActionReminder(action_id=action.id, year=year)
        db.session.add(reminder)
    elif reminder.text == text:
        return reminder
    reminder.text, reminder.text_html = text, str(render_markdown(text))
    reminder.updated_at, reminder.updated_by_id = utcnow(), user.id
    db.session.flush()
    return reminder


def objectives_for(actions: list[PlanAction], year: int) -> dict[int, list[Objective]]:
    result: dict[int, list[Objective]] = defaultdict(list)
    if actions:
        for objective in db.session.scalars(select(Objective).where(
                Objective.action_id.in_([a.id for a in actions]), Objective.year == year)
                .order_by(Objective.number, Objective.id)):
            result[objective.action_id].append(objective)
    return result


def _check(data: ObjectiveData, plan: Plan) -> None:
    if not data.title.strip():
        raise DomainError(_("Décrivez l'objectif."))
    check_year(data.year, plan)
    if data.semester not in SEMESTERS:
        raise DomainError(_("Semestre inconnu : choisissez le 1er, le 2nd ou toute l'année."))
    if data.kind not in KINDS:
        raise DomainError(_("Type d'objectif inconnu."))
    if data.status not in STATUSES:
        raise DomainError(_("État inconnu : prévu, en cours, réalisé ou abandonné."))
    if data.number is not None and not 1 <= data.number <= MAX_OBJECTIVES:
        raise DomainError(_("Le numéro d'un objectif va de 1 à %(max)d.", max=MAX_OBJECTIVES))


def save_objective(user, action: PlanAction, objective: Objective | None,
                   data: ObjectiveData) -> Objective:
    _require_editor(user, action)
    _check(data, action.plan)
    number = data.number
    if number is None and objective is not None and objective.year == data.year:
        number = objective.number
    if number is None:  # after the last objective of that year
        number = (db.session.scalar(select(func.max(Objective.number)).where(
            Objective.action_id == action.id, Objective.year == data.year)) or 0) + 1
    if objective is None:
        objective = Objective(action_id=action.id, created_at=utcnow())
        db.session.add(objective)
    objective.year, objective.number, objective.title = data.year, number, data.title.strip()
    objective.semester, objective.kind, objective.status = data.semester, data.kind, data.status
    objective.progress_note = data.progress_note.strip()
    objective.updated_at, objective.updated_by_id = utcnow(), user.id
    db.session.flush()
    return objective


def delete_objective(user, objective: Objective) -> None:
    _require_editor(user, objective.action)
    db.session.delete(objective)
    db.session.flush()
