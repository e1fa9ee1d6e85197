"""Calendar predicates, without HTTP: whose browser opens a feed, who gets reminders."""
from __future__ import annotations

from tests.roles import EVERYONE_INSIDE
from workspace.calendar import access
from workspace.extensions import db


def test_a_feed_opens_for_calendar_programs_and_its_owner_only(roles):
    assert roles.who(access.can_open_calendar_feed, roles.member) == {"member", "anonymous"}


def test_reminders_go_to_active_accounts_that_still_see_the_network(roles):
    assert roles.who(access.can_receive_reminder, roles.network) == EVERYONE_INSIDE
    roles.member.is_active = False
    db.session.commit()
    assert "member" not in roles.who(access.can_receive_reminder, roles.network)
    assert not access.can_receive_reminder(None, roles.network)
