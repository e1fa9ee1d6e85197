"""Who may see, organise and take part in a network's meetings.

Coordinators (and administrators) organise: schedule, change, cancel, record attendance and
decisions, see every member's answer. Members take part: answer the invitation, write the
minutes, add and follow action items, attach documents. Whoever may see the network reads.
"""
from __future__ import annotations

from workspace.auth.models import User
from workspace.extensions import db
from workspace.meetings.models import ActionItem, Meeting
from workspace.networks import access as network_access
from workspace.networks.models import Network


def _network(network_id: int) -> Network:
    return db.session.get(Network, network_id)


def can_see_meeting(user: User | None, meeting: Meeting) -> bool:
    return network_access.can_view_network(user, _network(meeting.network_id))


def can_schedule_meetings(user: User | None, network: Network) -> bool:
    return network_access.can_manage_network(user, network)


def can_take_part_in_meetings(user: User | None, network: Network) -> bool:
    """Minutes, action items, documents: the network's members (and administrators)."""
    return network_access.can_contribute(user, network)


def can_manage_meeting(user: User | None, meeting: Meeting) -> bool:
    """Change the meeting, record attendance and decisions, read every member's answer."""
    return can_schedule_meetings(user, _network(meeting.network_id))


def can_cancel_meeting(user: User | None, meeting: Meeting) -> bool:
    """A cancelled meeting offers no second cancellation."""
    return not meeting.is_cancelled and can_manage_meeting(user, meeting)


def can_answer_meeting(user: User | None, meeting: Meeting) -> bool:
    """Say whether one comes: members, as long as the meeting is not cancelled."""
    return not meeting.is_cancelled and can_take_part_in_meetings(
        user, _network(meeting.network_id))


def can_write_minutes(user: User | None, meeting: Meeting) -> bool:
    return can_take_part_in_meetings(user, _network(meeting.network_id))


def can_follow_action(user: User | None, item: ActionItem) -> bool:
    """Close or reopen an action item: the network's members."""
    return can_take_part_in_meetings(user, _network(item.network_id))


PREDICATES = (can_see_meeting, can_schedule_meetings, can_take_part_in_meetings,
              can_manage_meeting, can_cancel_meeting, can_answer_meeting, can_write_minutes,
              can_follow_action)
