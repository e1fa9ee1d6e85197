"""Links from objectives to what advanced them: meetings, workshops, needs, documents and
forum topics of the action's networks. Targets are read per type in one query, and a link is
shown only to a viewer who may see the target's network (and the target still exists)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workspace.core.errors import DomainError
from workspace.core.i18n import date_filter
from workspace.core.inputs import ID_MAX, parse_int
from workspace.core.timezones import utc_to_local
from workspace.documents.models import Document
from workspace.extensions import db
from workspace.forums.models import Topic
from workspace.meetings.models import Meeting
from workspace.needs.models import Need
from workspace.networks.access import visible_network_ids
from workspace.networks.models import Network
from workspace.plan.models import LINK_TYPES, Objective, ObjectiveLink, PlanAction
from workspace.plan.service import _require_editor
from workspace.workshops.models import Workshop

TYPE_LABELS = {"meeting": _l("Réunion"), "workshop": _l("Atelier"), "need": _l("Besoin"),
               "document": _l("Document"), "topic": _l("Sujet du forum")}
PICKER_LIMIT = 60  # per type: the most recent ones


@dataclass
class Target:
    type: str
    id: int
    network_id: int
    title: str
    when: str  # a date for the label, or ""

    @property
    def key(self) -> str:
        return f"{self.type}:{self.id}"

    def label(self, network_name: str = "") -> str:
        parts = [str(TYPE_LABELS[self.type]), self.title]
        if self.when:
            parts.append(self.when)
        text = " — ".join(parts)
        return f"{text} ({network_name})" if network_name else text


_ENDPOINTS = {"meeting": ("meetings.meeting_detail", "meeting_id"),
              "workshop": ("workshops.workshop_detail", "workshop_id"),
              "need": ("needs.need_detail", "need_id"),
              "document": ("documents.document_detail", "document_id"),
              "topic": ("forums.topic_detail", "topic_id")}


def _query(kind: str):
    """(select of id, network_id, title, date) for a type, live objects only."""
    if kind == "meeting":
        return select(Meeting.id, Meeting.network_id, Meeting.title, Meeting.starts_at), \
            Meeting, Meeting.starts_at
    if kind == "workshop":
        return select(Workshop.id, Workshop.network_id, Workshop.title, Workshop.starts_at), \
            Workshop, Workshop.starts_at
    if kind == "need":
        return select(Need.id, Need.network_id, Need.title, Need.created_at), \
            Need, Need.created_at
    if kind == "document":
        return (select(Document.id, Document.network_id, Document.title, Document.created_at)
                .where(Document.deleted_at.is_(None)), Document, Document.created_at)
    return (select(Topic.id, Topic.network_id, Topic.title, Topic.created_at)
            .where(Topic.is_hidden.is_(False)), Topic, Topic.created_at)


def _day(moment) -> str:
    return date_filter(utc_to_local(moment).date(), "medium") if moment else ""


def _targets(kind: str, rows) -> list[Target]:
    return [Target(kind, id_, network_id, title, _day(moment))
            for id_, network_id, title, moment in rows]


def candidates(action: PlanAction) -> list[tuple[str, list[Target]]]:
    """What the link picker offers: per type, recent objects of the action's networks."""
    network_ids = [n.id for n in action.networks if not n.is_archived]
    if not network_ids:
        return []
    groups = []
    for kind in LINK_TYPES:
        query, model, moment = _query(kind)
        rows = db.session.execute(query.where(model.network_id.in_(network_ids))
                                  .order_by(moment.desc()).limit(PICKER_LIMIT))
        groups.append((kind, _targets(kind, rows)))
    return groups


def find_target(action: PlanAction, key: str) -> Target:
    """The object named "type:id", refused unless it is live and in one of the action's
    networks."""
    kind, _sep, raw_id = (key or "").partition(":")
    target_id = parse_int(raw_id, 1, ID_MAX)
    if kind not in LINK_TYPES or target_id is None:
        raise DomainError(_("Choisissez dans la liste ce qui a fait avancer l'objectif."))
    query, model, _moment = _query(kind)
    row = db.session.execute(query.where(model.id == target_id)).first()
    if row is None or row.network_id not in action.network_ids:
        raise DomainError(_("Cet élément n'existe pas ou n'appartient pas aux réseaux de "
                            "l'action : seuls les éléments de ses réseaux peuvent y être "
                            "liés."))
    return _targets(kind, [row])[0]


def add_link(user, objective: Objective, key: str) -> ObjectiveLink:
    """Link a target; linking it twice returns the existing link."""
    _require_editor(user, objective.action)
    target = find_target(objective.action, key)
    existing = db.session.scalar(select(ObjectiveLink).where(
        ObjectiveLink.objective_id == objective.id, ObjectiveLink.target_type == target.type,
        ObjectiveLink.target_id == target.id))
    if existing is not None:
        return existing
    link = ObjectiveLink(objective_id=objective.id, target_type=target.type,
                         target_id=target.id, target_network_id=target.network_id,
                         created_by_id=user.id)
    try:
        with db.session.begin_nested():
            db.session.add(link)
    except IntegrityError:  # a double click that arrived at the same moment
        return db.session.scalar(select(ObjectiveLink).where(
            ObjectiveLink.objective_id == objective.id, ObjectiveLink.target_type == target.type,
            ObjectiveLink.target_id == target.id))
    return link


def remove_link(user, link: ObjectiveLink) -> None:
    objective = db.session.get(Objective, link.objective_id)
    _require_editor(user, objective.action)
    db.session.delete(link)
    db.session.flush()


@dataclass
class ShownLink:
    id: int
    label: str
    url: str
    type: str


def links_for(user, objective_ids: list[int]) -> dict[int, list[ShownLink]]:
    """The links of these objectives that the user may follow: one query for the links,
    one per type for the targets, one for the networks' slugs."""
    if not objective_ids:
        return {}
    visible = visible_network_ids(user)
    links = db.session.scalars(select(ObjectiveLink).where(
        ObjectiveLink.objective_id.in_(objective_ids),
        ObjectiveLink.target_network_id.in_(visible or {0})).order_by(ObjectiveLink.id)).all()
    by_type: dict[str, set[int]] = defaultdict(set)
    for link in links:
        by_type[link.target_type].add(link.target_id)
    targets: dict[tuple[str, int], Target] = {}
    for kind, ids in by_type.items():
        query, model, _moment = _query(kind)
        for target in _targets(kind, db.session.execute(query.where(model.id.in_(ids)))):
            targets[(kind, target.id)] = target
    slugs = dict(db.session.execute(select(Network.id, Network.slug).where(
        Network.id.in_({t.network_id for t in targets.values()} or {0}))).all())
    shown: dict[int, list[ShownLink]] = defaultdict(list)
    for link in links:
        target = targets.get((link.target_type, link.target_id))
        if target is None or target.network_id != link.target_network_id:
            continue  # deleted, hidden or moved since
        endpoint, argument = _ENDPOINTS[target.type]
        url = url_for(endpoint, network_slug=slugs[target.network_id],
                      **{argument: target.id})
        shown[link.objective_id].append(ShownLink(link.id, target.label(), url, target.type))
    return shown
