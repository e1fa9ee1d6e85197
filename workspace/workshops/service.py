"""Workshops: scheduling, registrations with capacity, seats per commune and waiting list,
attendance, notes, feedback. Registration changes run under the workshop's row lock, so that
200 people clicking at once end with exactly `capacity` confirmed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from workspace.auth.models import User
from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.markdown import render_markdown
from workspace.core.models import utcnow
from workspace.core.revisions import record_revision
from workspace.core.transactions import lock_row
from workspace.core.urls import public_url
from workspace.extensions import db
from workspace.networks import access
from workspace.networks.models import Network
from workspace.notifications import service as notifications
from workspace.workshops import access as workshop_access
from workspace.workshops.models import CANCELLED, CONFIRMED, WAITING, Registration, Workshop
from workspace.workshops.roster import by_commune


@dataclass
class WorkshopData:
    theme: str
    title: str
    description: str
    starts_at: datetime  # UTC
    ends_at: datetime
    location: str
    capacity: int
    seats_per_commune: int | None
    registration_deadline: datetime


def check_dates(starts_at: datetime, ends_at: datetime,
                deadline: datetime | None = None) -> list[tuple[str, str]]:
    """(field, message) for every date that makes no sense."""
    problems = []
    if ends_at <= starts_at:
        problems.append(("ends_at", _("La fin doit être après le début.")))
    if deadline is not None and deadline > starts_at:
        problems.append(("registration_deadline",
                         _("La clôture des inscriptions doit précéder le début de l'atelier.")))
    return problems


def save_workshop(actor: User, network: Network, workshop: Workshop | None,
                  data: WorkshopData) -> Workshop:
    if not workshop_access.can_organise_workshops(actor, network):
        raise PermissionDenied(_("Seuls les coordinateurs organisent les ateliers."))
    problems = check_dates(data.starts_at, data.ends_at, data.registration_deadline)
    if problems:
        raise DomainError(problems[0][1])
    if data.capacity < 1:
        raise DomainError(_("La capacité doit être d'au moins une place."))
    if data.seats_per_commune is not None and not 1 <= data.seats_per_commune <= data.capacity:
        raise DomainError(_("Les places par commune doivent être entre 1 et la capacité."))
    opened = workshop is None
    if workshop is None:
        workshop = Workshop(network_id=network.id, organizer_id=actor.id, confirmed_count=0,
                            waiting_count=0, lock_version=0, sequence=0)
        db.session.add(workshop)
    elif data.capacity < workshop.confirmed_count:
        raise DomainError(ngettext(
            "%(num)d personne est déjà inscrite : la capacité ne peut pas descendre en dessous.",
            "%(num)d personnes sont déjà inscrites : la capacité ne peut pas descendre en "
            "dessous.", workshop.confirmed_count))
    for name, value in vars(data).items():
        setattr(workshop, name, value)
    workshop.description = (data.description or "").strip()
    workshop.sequence = (workshop.sequence or 0) + 1
    db.session.flush()
    if opened:
        notifications.notify("workshop_opened", notifications.member_ids(network),
                             network=network, target_type="workshop", target_id=workshop.id,
                             actor=actor)
    if workshop.id and workshop.confirmed_count < workshop.capacity:
        _promote(workshop)
    return workshop


def registration_of(user: User, workshop: Workshop) -> Registration | None:
    return db.session.scalar(select(Registration).where(Registration.workshop_id == workshop.id,
                                                        Registration.user_id == user.id))


def _commune_confirmed(workshop: Workshop, organisation_id: int | None) -> int:
    if organisation_id is None:
        return 0
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.workshop_id == workshop.id, Registration.status == CONFIRMED,
        Registration.organisation_id == organisation_id)) or 0


def _has_room(workshop: Workshop, organisation_id: int | None) -> bool:
    if workshop.confirmed_count >= workshop.capacity:
        return False
    if workshop.seats_per_commune and organisation_id is not None:
        return _commune_confirmed(workshop, organisation_id) < workshop.seats_per_commune
    return True


def register(user: User, workshop_id: int) -> Registration:
    """Confirmed if a seat is left (for the person's commune too), else on the waiting list.
    Registering twice returns the first registration."""
    lock_row(Workshop, workshop_id)
    workshop = db.session.get(Workshop, workshop_id, populate_existing=True)
    network = db.session.get(Network, workshop.network_id)
    if not access.can_contribute(user, network):
        raise PermissionDenied(_("Seuls les membres du réseau peuvent s'inscrire."))
    if workshop.is_cancelled:
        raise DomainError(_("Cet atelier est annulé."))
    if utcnow() > workshop.registration_deadline:
        raise DomainError(_("Les inscriptions à cet atelier sont closes."))
    registration = registration_of(user, workshop)
    if registration is not None and registration.status != CANCELLED:
        return registration
    status = CONFIRMED if _has_room(workshop, user.organisation_id) else WAITING
    if registration is None:
        registration = Registration(workshop_id=workshop.id, user_id=user.id)
        db.session.add(registration)
    registration.organisation_id, registration.status = user.organisation_id, status
    registration.created_at, registration.cancelled_at = utcnow(), None
    registration.confirmed_at = utcnow() if status == CONFIRMED else None
    if status == CONFIRMED:
        workshop.confirmed_count += 1
    else:
        workshop.waiting_count += 1
    db.session.flush()
    if status == CONFIRMED:
        notifications.notify("seat_confirmed", [user.id], network=network,
                             target_type="workshop", target_id=workshop.id)
    return registration


def cancel(user: User, workshop_id: int) -> Registration | None:
    """Cancel the user's registration; a freed seat goes to the first eligible waiting person,
    who is told by e-mail. Returns the promoted registration, if any."""
    lock_row(Workshop, workshop_id)
    workshop = db.session.get(Workshop, workshop_id, populate_existing=True)
    registration = registration_of(user, workshop)
    if registration is None or registration.status == CANCELLED:
        raise DomainError(_("Vous n'avez pas d'inscription à cet atelier."))
    was_confirmed = registration.status == CONFIRMED
    registration.status, registration.cancelled_at = CANCELLED, utcnow()
    if was_confirmed:
        workshop.confirmed_count -= 1
    else:
        workshop.waiting_count -= 1
    db.session.flush()
    return _promote(workshop) if was_confirmed else None


def _promote(workshop: Workshop) -> Registration | None:
    """Give the free seat to the first waiting person whose commune still has room."""
    waiting = db.session.scalars(select(Registration).where(
        Registration.workshop_id == workshop.id, Registration.status == WAITING)
        .order_by(Registration.created_at, Registration.id))
    for candidate in waiting:
        if _has_room(workshop, candidate.organisation_id):
            candidate.status, candidate.confirmed_at = CONFIRMED, utcnow()
            workshop.confirmed_count += 1
            workshop.waiting_count -= 1
            db.session.flush()
            notifications.notify("seat_promoted", [candidate.user_id],
                                 network=db.session.get(Network, workshop.network_id),
                                 target_type="workshop", target_id=workshop.id)
            return candidate
    return None


def waiting_position(registration: Registration) -> int | None:
    if registration.status != WAITING:
        return None
    return (db.session.scalar(select(func.count(Registration.id)).where(
        Registration.workshop_id == registration.workshop_id, Registration.status == WAITING,
        (Registration.created_at < registration.created_at)
        | ((Registration.created_at == registration.created_at)
           & (Registration.id < registration.id)))) or 0) + 1


def registrations(workshop: Workshop, status: str | None = None) -> list[Registration]:
    query = (select(Registration).where(Registration.workshop_id == workshop.id)
             .options(joinedload(Registration.user), joinedload(Registration.organisation)))
    if status:
        query = query.where(Registration.status == status)
    return list(db.session.scalars(query.order_by(Registration.created_at, Registration.id))
                .unique())


def record_attendance(actor: User, workshop: Workshop, present_user_ids: set[int]) -> None:
    if not workshop_access.can_manage_workshop(actor, workshop):
        raise PermissionDenied(_("Seuls les coordinateurs notent les présences."))
    for registration in registrations(workshop, CONFIRMED):
        registration.attended = registration.user_id in present_user_ids


def save_notes(actor: User, workshop: Workshop, body: str) -> None:
    if not workshop_access.can_write_workshop_notes(actor, workshop):
        raise PermissionDenied(_("Seuls les membres du réseau rédigent les notes."))
    body = (body or "").replace("\r\n", "\n").strip()
    if record_revision("workshop_notes", workshop.id, body, actor) is not None:
        workshop.notes, workshop.notes_html = body, str(render_markdown(body))
        workshop.notes_updated_at = utcnow()


def give_feedback(user: User, workshop: Workshop, rating: int, useful: str,
                  improve: str) -> None:
    from workspace.workshops.models import Feedback

    if not workshop_access.is_participant(user, workshop):
        raise PermissionDenied(_("Seuls les participants donnent leur avis."))
    if utcnow() < workshop.starts_at:
        raise DomainError(_("L'avis s'ouvre au début de l'atelier."))
    if not 1 <= rating <= 5:
        raise DomainError(_("La note va de 1 à 5."))
    feedback = db.session.get(Feedback, (workshop.id, user.id))
    if feedback is None:
        feedback = Feedback(workshop_id=workshop.id, user_id=user.id)
        db.session.add(feedback)
    feedback.rating, feedback.useful, feedback.improve = rating, useful.strip(), improve.strip()


def upcoming(network: Network, limit: int = 10) -> list[Workshop]:
    return list(db.session.scalars(select(Workshop).where(
        Workshop.network_id == network.id, Workshop.ends_at >= utcnow(),
        Workshop.is_cancelled.is_(False)).order_by(Workshop.starts_at).limit(limit)))


def past(network: Network, limit: int = 50) -> list[Workshop]:
    return list(db.session.scalars(select(Workshop).where(
        Workshop.network_id == network.id, Workshop.ends_at < utcnow())
        .order_by(Workshop.starts_at.desc()).limit(limit)))


# --- reading helpers for the pages (added with the workshop pages) ----------------------

def statuses_of(user: User, workshop_ids: list[int]) -> dict[int, str]:
    """workshop id -> the user's live registration status (confirmed or waiting)."""
    if not workshop_ids:
        return {}
    rows = db.session.execute(select(Registration.workshop_id, Registration.status).where(
        Registration.user_id == user.id, Registration.workshop_id.in_(workshop_ids),
        Registration.status != CANCELLED))
    return dict(rows.all())


def registrations_by_commune(workshop: Workshop, status: str
                             ) -> list[tuple[str, list[Registration]]]:
    """The registrations of one status grouped by commune (see roster.by_commune); a page
    that shows more than one list reads a whole roster instead."""
    return by_commune(registrations(workshop, status))


def feedback_of(user: User, workshop: Workshop):
    from workspace.workshops.models import Feedback

    return db.session.get(Feedback, (workshop.id, user.id))


@dataclass
class FeedbackSummary:
    count: int
    average: float | None
    entries: list  # Feedback rows with a comment, newest first


def feedback_summary(workshop: Workshop) -> FeedbackSummary:
    from workspace.workshops.models import Feedback

    rows = list(db.session.scalars(select(Feedback).where(Feedback.workshop_id == workshop.id)
                                   .order_by(Feedback.created_at.desc())))
    average = sum(row.rating for row in rows) / len(rows) if rows else None
    return FeedbackSummary(len(rows), average, [row for row in rows
                                                if row.useful or row.improve])


# --- documents of a workshop -----------------------------------------------------------

LINK_TYPE = "workshop"
FOLDER_NAME = "Ateliers"  # data, not interface: the same folder for every reader


def _attachments_folder(network: Network, user: User):
    """The library's root folder "Ateliers", created on first use (matched by slug so that
    an existing "ateliers" folder is reused rather than refused as a duplicate)."""
    from slugify import slugify

    from workspace.documents import service as documents
    from workspace.documents.models import Folder

    for folder in db.session.scalars(select(Folder).where(
            Folder.network_id == network.id, Folder.parent_id.is_(None),
            Folder.deleted_at.is_(None))):
        if slugify(folder.name) == slugify(FOLDER_NAME):
            return folder
    return documents.create_folder(user, network, None, FOLDER_NAME)


def attach_uploads(user: User, workshop: Workshop, files) -> tuple[int, list[tuple[str, str]]]:
    """Store uploaded files in the network's library and link them to the workshop.
    Returns the number attached and the refused files with the reason."""
    from workspace.documents import service as documents
    from workspace.documents import uploads

    network = db.session.get(Network, workshop.network_id)
    if not workshop_access.can_attach_to_workshop(user, workshop):
        raise PermissionDenied(_("Seuls les membres du réseau joignent des documents."))
    report = uploads.upload_documents(user, network, _attachments_folder(network, user), files)
    for document in report.created:
        documents.link_document(user, document, LINK_TYPE, workshop.id)
    return len(report.created), report.refused


def attach_document(user: User, workshop: Workshop, document) -> None:
    from workspace.documents import service as documents

    if not workshop_access.can_attach_to_workshop(user, workshop):
        raise PermissionDenied(_("Seuls les membres du réseau joignent des documents."))
    if document.network_id != workshop.network_id:
        raise DomainError(_("Le document doit appartenir à la bibliothèque du réseau."))
    documents.link_document(user, document, LINK_TYPE, workshop.id)


def attachable_documents(network: Network, limit: int = 500) -> list:
    from workspace.documents.models import Document

    return list(db.session.scalars(select(Document).where(
        Document.network_id == network.id, Document.deleted_at.is_(None))
        .order_by(func.lower(Document.title), Document.id).limit(limit)))


def _link_targets(ids: list[int], viewer: User) -> dict:
    """"Atelier : <title>" on a document's page, for the workshops the viewer may see."""
    from workspace.documents.service import LinkTarget

    found = {}
    for workshop in db.session.scalars(select(Workshop).where(Workshop.id.in_(ids))):
        network = db.session.get(Network, workshop.network_id)
        if network is not None and access.can_view_network(viewer, network):
            found[workshop.id] = LinkTarget(
                _("Atelier : %(title)s", title=workshop.title),
                public_url("workshops.workshop_detail", network_slug=network.slug,
                           workshop_id=workshop.id))
    return found


def _register_link_target() -> None:
    from workspace.documents.service import register_link_target

    register_link_target(LINK_TYPE, _link_targets)


_register_link_target()
