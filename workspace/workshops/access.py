"""Who may see, organise and take part in a network's workshops.

Coordinators (and administrators) organise: schedule, change, take attendance, read the
participants and the feedback. Members take part: register while registration is open, write
the notes, attach documents. Only confirmed participants give feedback, once it has begun.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from workspace.auth.models import User
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.networks import access as network_access
from workspace.networks.models import Network
from workspace.workshops.models import CONFIRMED, Registration, Workshop


def _network(network_id: int) -> Network:
    return db.session.get(Network, network_id)


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_see_workshop(user: User | None, workshop: Workshop) -> bool:
    return network_access.can_view_network(user, _network(workshop.network_id))


def can_organise_workshops(user: User | None, network: Network) -> bool:
    return network_access.can_manage_network(user, network)


def can_take_part_in_workshops(user: User | None, network: Network) -> bool:
    """Register, write notes, attach documents: the network's members (and administrators)."""
    return network_access.can_contribute(user, network)


def can_manage_workshop(user: User | None, workshop: Workshop) -> bool:
    """Change it, take attendance, read the participants by commune and the feedback."""
    return can_organise_workshops(user, _network(workshop.network_id))


def registration_is_open(workshop: Workshop, now: datetime | None = None) -> bool:
    return not workshop.is_cancelled and (now or utcnow()) <= workshop.registration_deadline


def can_register(user: User | None, workshop: Workshop, now: datetime | None = None) -> bool:
    """Members, until the registration deadline of a workshop that is not cancelled (seats
    left or not: a full workshop puts the person on the waiting list)."""
    return registration_is_open(workshop, now) and can_take_part_in_workshops(
        user, _network(workshop.network_id))


def can_write_workshop_notes(user: User | None, workshop: Workshop) -> bool:
    return can_take_part_in_workshops(user, _network(workshop.network_id))


def can_attach_to_workshop(user: User | None, workshop: Workshop) -> bool:
    return can_take_part_in_workshops(user, _network(workshop.network_id))


def is_participant(user: User | None, workshop: Workshop) -> bool:
    """A confirmed registration (not waiting, not cancelled)."""
    if not _signed_in(user):
        return False
    status = db.session.scalar(select(Registration.status).where(
        Registration.workshop_id == workshop.id, Registration.user_id == user.id))
    return status == CONFIRMED


def can_give_feedback(user: User | None, workshop: Workshop,
                      now: datetime | None = None) -> bool:
    """Confirmed participants, from the start of the workshop."""
    return (now or utcnow()) >= workshop.starts_at and is_participant(user, workshop)


PREDICATES = (can_see_workshop, can_organise_workshops, can_take_part_in_workshops,
              can_manage_workshop, can_register, can_write_workshop_notes,
              can_attach_to_workshop, is_participant, can_give_feedback)
