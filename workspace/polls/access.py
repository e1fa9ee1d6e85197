"""Who may see, open, answer and conclude a network's date polls.

Polls are the business of the network's members: whoever is not a member (nor an
administrator) gets 404, even in an open network, since the answers say who is free when.
Coordinators (and administrators) open, conclude and cancel polls. The people asked (the
whole network, or the members and communes chosen) answer while the poll is open. The
answers of others are shown to members, or to coordinators only, as the poll says.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, or_, select

from workspace.auth.models import User
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.networks import access as network_access
from workspace.networks.models import Membership, Network
from workspace.polls.models import (
    ASK_NETWORK,
    CLOSED,
    OPEN,
    SHOW_MEMBERS,
    Poll,
    PollCommune,
    PollInvitee,
)


def _network(network_id: int) -> Network:
    return db.session.get(Network, network_id)


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_see_polls(user: User | None, network: Network) -> bool:
    """The network's members and the administrators; nobody else learns a poll exists."""
    return network_access.can_contribute(user, network)


def can_see_poll(user: User | None, poll: Poll) -> bool:
    return can_see_polls(user, _network(poll.network_id))


def can_open_polls(user: User | None, network: Network) -> bool:
    return network_access.can_manage_network(user, network)


def can_manage_poll(user: User | None, poll: Poll) -> bool:
    """Read every answer, conclude, cancel: coordinators and administrators."""
    return can_open_polls(user, _network(poll.network_id))


def asked_condition(poll_table, user: User):
    """SQL: the poll asks this user (who must also be a member, checked apart)."""
    chosen_person = exists().where(PollInvitee.poll_id == poll_table.id,
                                   PollInvitee.user_id == user.id)
    condition = or_(poll_table.audience == ASK_NETWORK, chosen_person)
    if user.organisation_id is not None:
        condition = or_(condition, exists().where(
            PollCommune.poll_id == poll_table.id,
            PollCommune.organisation_id == user.organisation_id))
    return condition


def is_asked(user: User | None, poll: Poll) -> bool:
    """A member of the network whom the poll asks (the whole network, or chosen by name or
    by commune)."""
    if not _signed_in(user) or not network_access.is_member(user, _network(poll.network_id)):
        return False
    return bool(db.session.scalar(select(exists().where(
        Poll.id == poll.id, asked_condition(Poll, user)))))


def is_open(poll: Poll, now: datetime | None = None) -> bool:
    return poll.status == OPEN and (now or utcnow()) < poll.closes_at


def can_answer_poll(user: User | None, poll: Poll, now: datetime | None = None) -> bool:
    return is_open(poll, now) and is_asked(user, poll)


def can_see_answers(user: User | None, poll: Poll) -> bool:
    """Who answered what, and which communes are covered."""
    if can_manage_poll(user, poll):
        return True
    return poll.answers_shown_to == SHOW_MEMBERS and can_see_poll(user, poll)


def can_conclude_poll(user: User | None, poll: Poll) -> bool:
    """Choose the slot that becomes the meeting or workshop: before or after the closing
    date, as long as the poll is neither concluded nor cancelled."""
    return poll.status in (OPEN, CLOSED) and bool(poll.slots) and can_manage_poll(user, poll)


def can_cancel_poll(user: User | None, poll: Poll) -> bool:
    return poll.status in (OPEN, CLOSED) and can_manage_poll(user, poll)


def member_ids_asked(poll: Poll) -> list[int]:
    """The active members of the network whom the poll asks, now."""
    from workspace.auth.models import User as UserModel

    query = (select(UserModel.id).join(Membership, Membership.user_id == UserModel.id)
             .where(Membership.network_id == poll.network_id, UserModel.is_active.is_(True)))
    if poll.audience != ASK_NETWORK:
        query = query.where(or_(
            exists().where(PollInvitee.poll_id == poll.id,
                           PollInvitee.user_id == UserModel.id),
            exists().where(PollCommune.poll_id == poll.id,
                           PollCommune.organisation_id == UserModel.organisation_id)))
    return list(db.session.scalars(query.order_by(UserModel.id)))


PREDICATES = (can_see_polls, can_see_poll, can_open_polls, can_manage_poll, is_asked,
              can_answer_poll, can_see_answers, can_conclude_poll, can_cancel_poll)
