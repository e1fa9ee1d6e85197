"""Meeting predicates, without HTTP: who schedules, manages, answers and follows actions."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.roles import EVERYONE_INSIDE, MANAGERS
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.meetings import access, service


@pytest.fixture
def meeting(roles):
    starts = utcnow().replace(microsecond=0) + timedelta(days=5)
    meeting = service.save_meeting(roles.coordinator, roles.network, None, service.MeetingData(
        title="Réunion de rentrée", description="", starts_at=starts,
        ends_at=starts + timedelta(hours=2), location="Salle des fêtes"))
    db.session.commit()
    return meeting


def test_everyone_inside_sees_and_takes_part_but_only_managers_organise(roles, meeting):
    assert roles.who(access.can_see_meeting, meeting) == EVERYONE_INSIDE
    assert roles.who(access.can_take_part_in_meetings, roles.network) == EVERYONE_INSIDE
    assert roles.who(access.can_answer_meeting, meeting) == EVERYONE_INSIDE
    assert roles.who(access.can_write_minutes, meeting) == EVERYONE_INSIDE
    assert roles.who(access.can_schedule_meetings, roles.network) == MANAGERS
    assert roles.who(access.can_manage_meeting, meeting) == MANAGERS
    assert roles.who(access.can_cancel_meeting, meeting) == MANAGERS


def test_a_cancelled_meeting_takes_no_answer_and_no_second_cancellation(roles, meeting):
    service.cancel_meeting(roles.coordinator, meeting)
    db.session.commit()
    assert roles.who(access.can_answer_meeting, meeting) == set()
    assert roles.who(access.can_cancel_meeting, meeting) == set()
    assert roles.who(access.can_manage_meeting, meeting) == MANAGERS  # still editable
    assert roles.who(access.can_write_minutes, meeting) == EVERYONE_INSIDE


def test_readers_of_an_open_network_see_but_do_not_take_part(roles, meeting):
    roles.network.is_private = False
    db.session.commit()
    assert roles.who(access.can_see_meeting, meeting) == EVERYONE_INSIDE | {"outsider"}
    assert "outsider" not in roles.who(access.can_answer_meeting, meeting)
    assert "outsider" not in roles.who(access.can_write_minutes, meeting)


def test_action_items_are_followed_by_members(roles, meeting):
    item = service.add_action(roles.member, roles.network, meeting, "Inventorier les postes",
                              owner_user=roles.member)
    db.session.commit()
    assert roles.who(access.can_follow_action, item) == EVERYONE_INSIDE


def test_an_archived_network_is_closed_to_all_but_administrators(roles, meeting):
    roles.network.is_archived = True
    db.session.commit()
    assert roles.who(access.can_see_meeting, meeting) == {"admin"}
