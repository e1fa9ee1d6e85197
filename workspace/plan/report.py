"""The yearly progress report ("état d'avancement"): per action, what was planned, what was
done, and the activity of its networks in the year.

Every figure comes from grouped SQL queries over the set of networks concerned (one query
per figure, whatever the number of actions or networks): no query per action or object."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.core.models import utcnow
from workspace.core.timezones import local_to_utc
from workspace.documents.models import Document
from workspace.extensions import db
from workspace.forums.models import Post, Topic
from workspace.meetings.models import ActionItem, Meeting, Rsvp
from workspace.needs.models import NEED_ANSWERED, Need
from workspace.networks.models import Network
from workspace.plan.models import STATUSES, Objective, PlanAction
from workspace.plan.service import objectives_for
from workspace.workshops.models import CONFIRMED, Registration, Workshop

NO_COMMUNE = _l("Sans commune")


@dataclass
class Activity:
    meetings_held: int = 0
    meeting_attendances: int = 0
    workshops_held: int = 0
    workshop_registrations: int = 0
    workshop_attendances: int = 0
    needs_recorded: int = 0
    needs_answered: int = 0
    actions_opened: int = 0
    actions_closed: int = 0
    documents_shared: int = 0
    topics_created: int = 0
    posts_written: int = 0

    def add(self, other: Activity) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    def items(self) -> list[tuple[str, int]]:
        return [(str(ACTIVITY_LABELS[item.name]), getattr(self, item.name))
                for item in fields(self)]


ACTIVITY_LABELS = {
    "meetings_held": _l("Réunions tenues"), "meeting_attendances": _l("Présences aux réunions"),
    "workshops_held": _l("Ateliers tenus"),
    "workshop_registrations": _l("Inscriptions confirmées aux ateliers"),
    "workshop_attendances": _l("Présences aux ateliers"),
    "needs_recorded": _l("Besoins exprimés"), "needs_answered": _l("Besoins satisfaits"),
    "actions_opened": _l("Actions de suivi ouvertes"),
    "actions_closed": _l("Actions de suivi closes"),
    "documents_shared": _l("Documents partagés"), "topics_created": _l("Sujets de forum ouverts"),
    "posts_written": _l("Messages de forum"),
}
# per commune: attendances at meetings, confirmed registrations and attendances at workshops
COMMUNE_COLUMNS = (_l("Présences aux réunions"), _l("Inscriptions aux ateliers"),
                   _l("Présences aux ateliers"))


@dataclass
class ActionReport:
    action: PlanAction
    objectives: list[Objective]
    networks: list[Network]  # those whose activity is counted (visible to the reader)
    activity: Activity
    communes: dict[str, list[int]]

    @property
    def by_status(self) -> dict[str, int]:
        counts = Counter(objective.status for objective in self.objectives)
        return {status: counts.get(status, 0) for status in STATUSES}


@dataclass
class Report:
    year: int
    title: str
    actions: list[ActionReport]
    activity: Activity = field(default_factory=Activity)  # distinct networks, not per action
    communes: dict[str, list[int]] = field(default_factory=dict)

    @property
    def by_status(self) -> dict[str, int]:
        total = Counter()
        for item in self.actions:
            total.update(item.by_status)
        return {status: total.get(status, 0) for status in STATUSES}


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """1 January 00:00 to the next 1 January, Paris time, as UTC instants."""
    return local_to_utc(datetime(year, 1, 1)), local_to_utc(datetime(year + 1, 1, 1))


def _within(column, start: datetime, end: datetime):
    return (column >= start) & (column < end)


def _count(query, network_column, network_ids) -> dict[int, int]:
    rows = db.session.execute(query.where(network_column.in_(network_ids))
                              .group_by(network_column))
    return dict(rows.all())


def network_activity(network_ids: set[int], year: int) -> dict[int, Activity]:
    """Figures of each network for the year, one grouped query per figure."""
    result = {network_id: Activity() for network_id in network_ids}
    if not network_ids:
        return result
    start, end = year_bounds(year)
    held_until = min(end, utcnow())
    meeting_held = (~Meeting.is_cancelled) & _within(Meeting.starts_at, start, held_until)
    workshop_held = (~Workshop.is_cancelled) & _within(Workshop.starts_at, start, held_until)
    count = func.count()
    queries = {
        "meetings_held": (select(Meeting.network_id, count).where(meeting_held),
                          Meeting.network_id),
        "meeting_attendances": (select(Meeting.network_id, count).join(Rsvp).where(
            meeting_held, Rsvp.attended.is_(True)), Meeting.network_id),
        "workshops_held": (select(Workshop.network_id, count).where(workshop_held),
                           Workshop.network_id),
        "workshop_registrations": (select(Workshop.network_id, count).join(Registration).where(
            workshop_held, Registration.status == CONFIRMED), Workshop.network_id),
        "workshop_attendances": (select(Workshop.network_id, count).join(Registration).where(
            workshop_held, Registration.attended.is_(True)), Workshop.network_id),
        "needs_recorded": (select(Need.network_id, count).where(
            _within(Need.created_at, start, end)), Need.network_id),
        "needs_answered": (select(Need.network_id, count).where(
            Need.status == NEED_ANSWERED, _within(Need.answered_at, start, end)),
            Need.network_id),
        "actions_opened": (select(ActionItem.network_id, count).where(
            _within(ActionItem.created_at, start, end)), ActionItem.network_id),
        "actions_closed": (select(ActionItem.network_id, count).where(
            _within(ActionItem.closed_at, start, end)), ActionItem.network_id),
        "documents_shared": (select(Document.network_id, count).where(
            Document.deleted_at.is_(None), _within(Document.created_at, start, end)),
            Document.network_id),
        "topics_created": (select(Topic.network_id, count).where(
            ~Topic.is_hidden, _within(Topic.created_at, start, end)), Topic.network_id),
        "posts_written": (select(Topic.network_id, count).select_from(Post).join(Topic).where(
            ~Topic.is_hidden, ~Post.is_hidden, ~Post.is_deleted,
            _within(Post.created_at, start, end)), Topic.network_id),
    }
    for name, (query, column) in queries.items():
        for network_id, value in _count(query, column, network_ids).items():
            setattr(result[network_id], name, value)
    return result


def commune_participation(network_ids: set[int], year: int) -> dict[int, dict[str, list[int]]]:
    """network id -> commune name -> [meeting attendances, workshop registrations,
    workshop attendances]; three grouped queries."""
    result: dict[int, dict[str, list[int]]] = defaultdict(dict)
    if not network_ids:
        return result
    start, end = year_bounds(year)
    held_until = min(end, utcnow())
    meetings = (select(Meeting.network_id, Organisation.name, func.count())
                .select_from(Rsvp).join(Meeting).join(User, User.id == Rsvp.user_id)
                .outerjoin(Organisation, Organisation.id == User.organisation_id)
                .where(~Meeting.is_cancelled, _within(Meeting.starts_at, start, held_until),
                       Rsvp.attended.is_(True), Meeting.network_id.in_(network_ids))
                .group_by(Meeting.network_id, Organisation.name))
    base = (select(Workshop.network_id, Organisation.name, func.count())
            .select_from(Registration).join(Workshop)
            .outerjoin(Organisation, Organisation.id == Registration.organisation_id)
            .where(~Workshop.is_cancelled, _within(Workshop.starts_at, start, held_until),
                   Workshop.network_id.in_(network_ids))
            .group_by(Workshop.network_id, Organisation.name))
    for column, query in ((0, meetings), (1, base.where(Registration.status == CONFIRMED)),
                          (2, base.where(Registration.attended.is_(True)))):
        for network_id, name, value in db.session.execute(query):
            row = result[network_id].setdefault(name or str(NO_COMMUNE), [0, 0, 0])
            row[column] += value
    return result


def _merge(target: dict[str, list[int]], source: dict[str, list[int]]) -> None:
    for name, values in source.items():
        row = target.setdefault(name, [0, 0, 0])
        for index, value in enumerate(values):
            row[index] += value


def _sorted(communes: dict[str, list[int]]) -> dict[str, list[int]]:
    return dict(sorted(communes.items(), key=lambda item: (item[0] == str(NO_COMMUNE),
                                                           item[0].casefold())))


def build_report(title: str, actions: list[PlanAction], year: int,
                 counted: set[int]) -> Report:
    """The report of these actions for the year; only networks in `counted` (those the reader
    may see, or the network of the page) contribute activity."""
    objectives = objectives_for(actions, year)
    network_ids = {n.id for a in actions for n in a.networks} & counted
    activity = network_activity(network_ids, year)
    communes = commune_participation(network_ids, year)
    report = Report(year=year, title=title, actions=[])
    for action in actions:
        networks = [n for n in action.networks if n.id in network_ids]
        total, by_commune = Activity(), {}
        for network in networks:
            total.add(activity[network.id])
            _merge(by_commune, communes.get(network.id, {}))
        report.actions.append(ActionReport(action, objectives.get(action.id, []), networks,
                                           total, _sorted(by_commune)))
    for network_id in network_ids:
        report.activity.add(activity[network_id])
        _merge(report.communes, communes.get(network_id, {}))
    report.communes = _sorted(report.communes)
    return report


def status_rows(by_status: dict[str, int]) -> list[tuple[str, int]]:
    from workspace.plan.service import STATUS_LABELS

    return [(str(STATUS_LABELS[status]), value) for status, value in by_status.items()]


def report_subject(year: int) -> str:
    return _("État d'avancement %(year)d", year=year)
