"""Meetings: scheduling, agenda, answers, attendance, minutes, decisions, action items."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import and_, select

from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.markdown import render_markdown
from workspace.core.models import utcnow
from workspace.core.revisions import record_revision
from workspace.extensions import db
from workspace.meetings import access as meeting_access
from workspace.meetings.models import (
    ACTION_OPEN,
    ACTION_STATUSES,
    ANSWERS,
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    Rsvp,
)
from workspace.networks import access
from workspace.networks.models import Membership, Network
from workspace.notifications import service as notifications


@dataclass
class AgendaLine:
    title: str
    presenter: str = ""
    duration_minutes: int | None = None


@dataclass
class MeetingData:
    title: str
    description: str
    starts_at: datetime  # UTC
    ends_at: datetime
    location: str = ""
    video_url: str = ""
    agenda: list[AgendaLine] = field(default_factory=list)
    is_important: bool = False  # notified at once to every member, whatever their digest


def _require_manager(actor: User, network: Network) -> None:
    if not meeting_access.can_schedule_meetings(actor, network):
        raise PermissionDenied(_("Seuls les coordinateurs organisent les réunions."))


def save_meeting(actor: User, network: Network, meeting: Meeting | None,
                 data: MeetingData) -> Meeting:
    _require_manager(actor, network)
    if data.ends_at <= data.starts_at:
        raise DomainError(_("La fin doit être après le début."))
    if not data.location.strip() and not data.video_url.strip():
        raise DomainError(_("Indiquez un lieu ou un lien de visioconférence."))
    kind = "meeting_changed" if meeting is not None else "meeting_scheduled"
    if meeting is None:
        meeting = Meeting(network_id=network.id, organizer_id=actor.id, sequence=0)
        db.session.add(meeting)
    meeting.title, meeting.description = data.title.strip(), data.description.strip()
    meeting.starts_at, meeting.ends_at = data.starts_at, data.ends_at
    meeting.location, meeting.video_url = data.location.strip(), data.video_url.strip()
    meeting.sequence = (meeting.sequence or 0) + 1
    meeting.agenda = [AgendaItem(position=index, title=line.title.strip()[:300],
                                 presenter=line.presenter.strip()[:160],
                                 duration_minutes=line.duration_minutes)
                      for index, line in enumerate(data.agenda) if line.title.strip()]
    db.session.flush()
    notifications.notify(kind, notifications.member_ids(network), network=network,
                         target_type="meeting", target_id=meeting.id, actor=actor,
                         important=data.is_important)
    return meeting


def cancel_meeting(actor: User, meeting: Meeting) -> None:
    network = db.session.get(Network, meeting.network_id)
    _require_manager(actor, network)
    meeting.is_cancelled = True
    meeting.sequence += 1
    notifications.notify("meeting_changed", notifications.member_ids(network), network=network,
                         target_type="meeting", target_id=meeting.id, actor=actor)


def add_agenda_item(meeting: Meeting, title: str, presenter: str = "",
                    duration: int | None = None, need_id: int | None = None) -> AgendaItem:
    item = AgendaItem(meeting=meeting, position=len(meeting.agenda), title=title[:300],
                      presenter=presenter[:160], duration_minutes=duration, need_id=need_id)
    db.session.add(item)
    db.session.flush()
    return item


def answer(user: User, meeting: Meeting, value: str) -> Rsvp:
    network = db.session.get(Network, meeting.network_id)
    if not meeting_access.can_take_part_in_meetings(user, network):
        raise PermissionDenied(_("Seuls les membres du réseau répondent aux invitations."))
    if value not in ANSWERS:
        raise DomainError(_("Réponse inconnue."))
    if meeting.is_cancelled:
        raise DomainError(_("Cette réunion est annulée."))
    rsvp = db.session.get(Rsvp, (meeting.id, user.id))
    if rsvp is None:
        rsvp = Rsvp(meeting_id=meeting.id, user_id=user.id)
        db.session.add(rsvp)
    rsvp.answer, rsvp.answered_at = value, utcnow()
    return rsvp


def answer_of(user: User, meeting: Meeting) -> str | None:
    rsvp = db.session.get(Rsvp, (meeting.id, user.id))
    return rsvp.answer if rsvp else None


def answers_by_commune(meeting: Meeting) -> list[tuple[str, list[tuple[User, str | None,
                                                                        bool | None]]]]:
    """Every member of the network with their answer and attendance, grouped by commune.
    Members, answers and communes come from one statement: an answer given while the page is
    built is either on it with its member or not at all."""
    rows = db.session.execute(
        select(User, Rsvp.answer, Rsvp.attended).join(Membership)
        .outerjoin(Rsvp, and_(Rsvp.meeting_id == meeting.id, Rsvp.user_id == User.id))
        .where(Membership.network_id == meeting.network_id, User.is_active.is_(True))
        .order_by(User.last_name, User.first_name, User.id)).unique().all()
    groups: dict[tuple, list] = defaultdict(list)
    for user, answer, attended in rows:
        organisation = user.organisation
        key = (organisation is None, slugify(organisation.name) if organisation else "",
               organisation.name if organisation else _("Sans organisation"))
        groups[key].append((user, answer, attended))
    return [(key[2], groups[key]) for key in sorted(groups)]


def record_attendance(actor: User, meeting: Meeting, present_user_ids: set[int]) -> None:
    _require_manager(actor, db.session.get(Network, meeting.network_id))
    members = db.session.scalars(select(Membership.user_id).where(
        Membership.network_id == meeting.network_id)).all()
    for user_id in set(members) | present_user_ids:
        rsvp = db.session.get(Rsvp, (meeting.id, user_id))
        if rsvp is None:
            rsvp = Rsvp(meeting_id=meeting.id, user_id=user_id)
            db.session.add(rsvp)
        rsvp.attended = user_id in present_user_ids
    meeting.attendance_recorded = True


def save_minutes(actor: User, meeting: Meeting, body: str) -> bool:
    network = db.session.get(Network, meeting.network_id)
    if not meeting_access.can_write_minutes(actor, meeting):
        raise PermissionDenied(_("Seuls les membres du réseau rédigent le compte rendu."))
    body = (body or "").replace("\r\n", "\n").strip()
    if not body and not meeting.minutes:
        return False  # nothing written yet: no empty first revision
    if record_revision("meeting_minutes", meeting.id, body, actor) is None:
        return False
    if not meeting.minutes:  # first published text: the members hear of it
        notifications.notify("minutes_published", notifications.member_ids(network),
                             network=network, target_type="meeting", target_id=meeting.id,
                             actor=actor)
    meeting.minutes, meeting.minutes_html = body, str(render_markdown(body))
    meeting.minutes_updated_at = utcnow()
    return True


def add_decision(actor: User, meeting: Meeting, text: str) -> Decision:
    _require_manager(actor, db.session.get(Network, meeting.network_id))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("La décision est vide."))
    decision = Decision(meeting_id=meeting.id, text=text[:5000])
    db.session.add(decision)
    return decision


def decisions(meeting: Meeting) -> list[Decision]:
    return list(db.session.scalars(select(Decision).where(Decision.meeting_id == meeting.id)
                                   .order_by(Decision.id)))


# --- action items ----------------------------------------------------------------------

def add_action(actor: User, network: Network, meeting: Meeting | None, title: str, *,
               owner_user: User | None = None, owner_organisation: Organisation | None = None,
               due_on: date | None = None) -> ActionItem:
    if not meeting_access.can_take_part_in_meetings(actor, network):
        raise PermissionDenied(_("Seuls les membres du réseau ajoutent des actions."))
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Décrivez l'action."))
    if owner_user is None and owner_organisation is None:
        raise DomainError(_("Indiquez qui porte l'action : une personne ou une commune."))
    if owner_user is not None and not access.is_member(owner_user, network):
        raise DomainError(_("La personne responsable doit être membre du réseau."))
    item = ActionItem(network_id=network.id, meeting_id=meeting.id if meeting else None,
                      title=title[:300], owner_user=owner_user,
                      owner_organisation=owner_organisation, due_on=due_on,
                      status=ACTION_OPEN)
    db.session.add(item)
    db.session.flush()
    notifications.notify("action_assigned", notifications.owner_ids(
        network, owner_user, owner_organisation), network=network, target_type="action_item",
        target_id=item.id, actor=actor)
    return item


def set_action_status(actor: User, item: ActionItem, status: str) -> None:
    if not meeting_access.can_follow_action(actor, item):
        raise PermissionDenied(_("Seuls les membres du réseau suivent les actions."))
    if status not in ACTION_STATUSES:
        raise DomainError(_("Statut inconnu."))
    item.status = status
    item.closed_at = None if status == ACTION_OPEN else utcnow()


def open_actions(network: Network) -> list[ActionItem]:
    return list(db.session.scalars(select(ActionItem).where(
        ActionItem.network_id == network.id, ActionItem.status == ACTION_OPEN)
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)))


def actions_of_meeting(meeting: Meeting) -> list[ActionItem]:
    return list(db.session.scalars(select(ActionItem).where(
        ActionItem.meeting_id == meeting.id).order_by(ActionItem.id)))


def carried_actions(meeting: Meeting) -> list[ActionItem]:
    """Open action items of earlier meetings: they appear on this meeting's agenda by
    themselves, until they are closed."""
    if meeting.is_cancelled:
        return []
    return list(db.session.scalars(select(ActionItem).where(
        ActionItem.network_id == meeting.network_id, ActionItem.status == ACTION_OPEN,
        ActionItem.created_at < meeting.starts_at,
        (ActionItem.meeting_id.is_(None)) | (ActionItem.meeting_id != meeting.id))
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)))


def upcoming(network: Network, limit: int = 10) -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).where(
        Meeting.network_id == network.id, Meeting.ends_at >= utcnow())
        .order_by(Meeting.starts_at).limit(limit)))


def past(network: Network, limit: int = 50) -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).where(
        Meeting.network_id == network.id, Meeting.ends_at < utcnow())
        .order_by(Meeting.starts_at.desc()).limit(limit)))
