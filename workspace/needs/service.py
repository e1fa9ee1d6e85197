"""The needs register: record a need, say "us too", answer it with a workshop or a meeting."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from workspace.auth.models import User
from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.meetings.models import Meeting
from workspace.meetings.service import add_agenda_item
from workspace.needs import access as need_access
from workspace.needs.models import NEED_ANSWERED, NEED_OPEN, Need, NeedSupport
from workspace.networks.models import Network
from workspace.workshops.models import Workshop


def _require_commune(user: User) -> None:
    if user.organisation_id is None:
        raise DomainError(_("Indiquez votre commune dans votre profil pour exprimer un "
                            "besoin en son nom."))


def create_need(user: User, network: Network, title: str, description: str) -> Need:
    if not need_access.can_express_need(user, network):
        raise PermissionDenied(_("Seuls les membres du réseau expriment des besoins."))
    _require_commune(user)
    title = " ".join((title or "").split())[:200]
    if not title:
        raise DomainError(_("Décrivez le besoin en quelques mots."))
    need = Need(network_id=network.id, title=title, description=(description or "").strip(),
                organisation_id=user.organisation_id, author=user, support_count=1,
                status=NEED_OPEN)
    db.session.add(need)
    db.session.flush()
    db.session.add(NeedSupport(need_id=need.id, organisation_id=user.organisation_id,
                               user_id=user.id))
    return need


def support(user: User, need: Need, comment: str = "") -> NeedSupport:
    """"Us too": once per commune."""
    if not need_access.can_support_need(user, need):
        raise PermissionDenied(_("Seuls les membres du réseau soutiennent un besoin."))
    _require_commune(user)
    existing = db.session.scalar(select(NeedSupport).where(
        NeedSupport.need_id == need.id, NeedSupport.organisation_id == user.organisation_id))
    if existing is not None:
        raise DomainError(_("Votre commune est déjà associée à ce besoin."))
    row = NeedSupport(need_id=need.id, organisation_id=user.organisation_id, user_id=user.id,
                      comment=(comment or "").strip()[:500])
    db.session.add(row)
    need.support_count += 1
    return row


def supporters(need: Need) -> list[NeedSupport]:
    return list(db.session.scalars(select(NeedSupport).where(NeedSupport.need_id == need.id)
                                   .order_by(NeedSupport.created_at)))


def _require_manager(actor: User, need: Need) -> None:
    if not need_access.can_answer_need(actor, need):
        raise PermissionDenied(_("Seuls les coordinateurs répondent aux besoins."))


def answer_with_workshop(actor: User, need: Need, workshop: Workshop) -> None:
    _require_manager(actor, need)
    if workshop.network_id != need.network_id:
        raise DomainError(_("L'atelier doit appartenir au même réseau."))
    need.answered_by_workshop_id, need.status, need.answered_at = (
        workshop.id, NEED_ANSWERED, utcnow())


def answer_with_meeting(actor: User, need: Need, meeting: Meeting) -> None:
    """Put the need on the meeting's agenda; the need then shows what answered it."""
    _require_manager(actor, need)
    if meeting.network_id != need.network_id:
        raise DomainError(_("La réunion doit appartenir au même réseau."))
    add_agenda_item(meeting, need.title, need_id=need.id)
    need.answered_by_meeting_id, need.status, need.answered_at = (
        meeting.id, NEED_ANSWERED, utcnow())


def needs_of(network: Network, order: str = "shared") -> list[Need]:
    query = select(Need).where(Need.network_id == network.id)
    if order == "shared":
        query = query.order_by(Need.status, Need.support_count.desc(), Need.created_at.desc())
    else:
        query = query.order_by(Need.created_at.desc())
    return list(db.session.scalars(query))


# --- reading helpers for the pages (added with the needs pages) -------------------------

def supporting_communes(needs: list[Need]) -> dict[int, list[str]]:
    """need id -> names of the communes that share it, in the order they joined."""
    from workspace.communes.models import Organisation

    if not needs:
        return {}
    rows = db.session.execute(select(NeedSupport.need_id, Organisation.name)
                              .join(Organisation, Organisation.id == NeedSupport.organisation_id)
                              .where(NeedSupport.need_id.in_([need.id for need in needs]))
                              .order_by(NeedSupport.created_at, NeedSupport.id))
    found: dict[int, list[str]] = {}
    for need_id, name in rows:
        found.setdefault(need_id, []).append(name)
    return found


def answers_for(needs: list[Need]) -> dict[int, Workshop | Meeting]:
    """need id -> the workshop or meeting that answered it (the workshop when both)."""
    workshop_ids = {n.answered_by_workshop_id for n in needs if n.answered_by_workshop_id}
    meeting_ids = {n.answered_by_meeting_id for n in needs if n.answered_by_meeting_id}
    workshops = {w.id: w for w in db.session.scalars(
        select(Workshop).where(Workshop.id.in_(workshop_ids)))} if workshop_ids else {}
    meetings = {m.id: m for m in db.session.scalars(
        select(Meeting).where(Meeting.id.in_(meeting_ids)))} if meeting_ids else {}
    found: dict[int, Workshop | Meeting] = {}
    for need in needs:
        answer = (workshops.get(need.answered_by_workshop_id)
                  or meetings.get(need.answered_by_meeting_id))
        if answer is not None:
            found[need.id] = answer
    return found


def commune_supports(user: User, need: Need) -> bool:
    if user.organisation_id is None:
        return False
    return db.session.scalar(select(NeedSupport.id).where(
        NeedSupport.need_id == need.id,
        NeedSupport.organisation_id == user.organisation_id)) is not None


def meeting_choices(network: Network) -> list[Meeting]:
    """Meetings whose agenda may still receive a need: upcoming and not cancelled."""
    return list(db.session.scalars(select(Meeting).where(
        Meeting.network_id == network.id, Meeting.ends_at >= utcnow(),
        Meeting.is_cancelled.is_(False)).order_by(Meeting.starts_at).limit(50)))
