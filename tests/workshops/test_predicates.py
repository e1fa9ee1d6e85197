"""Workshop predicates, without HTTP: who organises, registers, writes notes, gives feedback,
and how a cancelled workshop or a closed registration changes it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.roles import EVERYONE_INSIDE, MANAGERS
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.workshops import access, service


@pytest.fixture
def make_workshop(roles):
    def make(starts_in=timedelta(days=10), deadline_in=None, capacity=5):
        starts = utcnow().replace(microsecond=0) + starts_in
        deadline = starts if deadline_in is None else utcnow() + deadline_in
        workshop = service.save_workshop(roles.coordinator, roles.network, None,
                                         service.WorkshopData(
                                             "GED", "Prise en main", "", starts,
                                             starts + timedelta(hours=3), "Coulaines",
                                             capacity, None, deadline))
        db.session.commit()
        return workshop

    return make


def test_members_take_part_and_managers_organise(roles, make_workshop):
    workshop = make_workshop()
    assert roles.who(access.can_see_workshop, workshop) == EVERYONE_INSIDE
    assert roles.who(access.can_register, workshop) == EVERYONE_INSIDE
    assert roles.who(access.can_write_workshop_notes, workshop) == EVERYONE_INSIDE
    assert roles.who(access.can_attach_to_workshop, workshop) == EVERYONE_INSIDE
    assert roles.who(access.can_organise_workshops, roles.network) == MANAGERS
    assert roles.who(access.can_manage_workshop, workshop) == MANAGERS


def test_closed_registration_and_cancelled_workshop_take_no_one(roles, make_workshop):
    closed = make_workshop(starts_in=timedelta(days=3), deadline_in=timedelta(days=-1))
    assert roles.who(access.can_register, closed) == set()
    cancelled = make_workshop()
    cancelled.is_cancelled = True
    db.session.commit()
    assert roles.who(access.can_register, cancelled) == set()
    assert roles.who(access.can_manage_workshop, cancelled) == MANAGERS


def test_a_full_workshop_still_takes_registrations_for_the_waiting_list(roles, make_workshop):
    workshop = make_workshop(capacity=1)
    service.register(roles.coordinator, workshop.id)
    db.session.commit()
    assert workshop.seats_left == 0
    assert "member" in roles.who(access.can_register, workshop)


def test_feedback_comes_from_confirmed_participants_once_started(roles, make_workshop):
    workshop = make_workshop(starts_in=timedelta(days=2), capacity=1)
    service.register(roles.member, workshop.id)
    service.register(roles.coordinator, workshop.id)  # waiting list: not a participant
    db.session.commit()
    assert roles.who(access.is_participant, workshop) == {"member"}
    assert roles.who(access.can_give_feedback, workshop) == set()  # not begun yet
    later = workshop.starts_at + timedelta(minutes=1)
    assert roles.who(lambda user, w: access.can_give_feedback(user, w, now=later),
                     workshop) == {"member"}
    service.cancel(roles.member, workshop.id)
    db.session.commit()
    assert "member" not in roles.who(lambda user, w: access.can_give_feedback(user, w, now=later),
                                     workshop)


def test_readers_of_an_open_network_see_but_may_not_register(roles, make_workshop):
    workshop = make_workshop()
    roles.network.is_private = False
    db.session.commit()
    assert "outsider" in roles.who(access.can_see_workshop, workshop)
    assert "outsider" not in roles.who(access.can_register, workshop)
