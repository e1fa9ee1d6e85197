"""The poll predicates without HTTP, for the five roles of tests/roles.py, and a non-member
of an open network (who sees the network, not its polls)."""
from __future__ import annotations

from datetime import timedelta

from tests.polls.conftest import poll_data
from tests.roles import EVERYONE_INSIDE, MANAGERS
from workspace.extensions import db
from workspace.polls import access, service
from workspace.polls.models import SHOW_COORDINATORS


def _poll(roles, **over):
    poll = service.open_poll(roles.coordinator, roles.network, poll_data(**over))
    db.session.commit()
    return poll


def test_who_sees_opens_and_manages(roles):
    poll = _poll(roles)
    assert roles.who(access.can_see_poll, poll) == EVERYONE_INSIDE
    assert roles.who(access.can_open_polls, roles.network) == MANAGERS
    assert roles.who(access.can_manage_poll, poll) == MANAGERS
    assert roles.who(access.can_conclude_poll, poll) == MANAGERS
    assert roles.who(access.can_cancel_poll, poll) == MANAGERS


def test_who_answers_members_asked_while_open(roles):
    poll = _poll(roles)
    assert roles.who(access.can_answer_poll, poll) == {"member", "coordinator"}
    after = poll.closes_at + timedelta(seconds=1)
    assert roles.who(lambda user, p: access.can_answer_poll(user, p, after), poll) == set()
    service.cancel_poll(roles.coordinator, poll.id)
    db.session.commit()
    assert roles.who(access.can_answer_poll, poll) == set()
    assert roles.who(access.can_cancel_poll, poll) == set()


def test_who_reads_the_answers_of_others(roles):
    shown = _poll(roles)
    hidden = _poll(roles, answers_shown_to=SHOW_COORDINATORS)
    assert roles.who(access.can_see_answers, shown) == EVERYONE_INSIDE
    assert roles.who(access.can_see_answers, hidden) == MANAGERS


def test_an_open_network_shows_its_polls_to_members_only(roles, make_network, make_user):
    member = make_user()
    network = make_network("Voirie", is_private=False, members=[member],
                           coordinators=[roles.coordinator])
    poll = service.open_poll(roles.coordinator, network, poll_data())
    db.session.commit()
    assert access.can_see_poll(member, poll)
    assert not access.can_see_poll(roles.outsider, poll)
    assert not access.can_see_poll(roles.anonymous, poll)
