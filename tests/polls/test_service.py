"""Date polls without HTTP: opening rules, answers and their changes, the table per slot
with the communes covered, concluding into a meeting or a workshop, cancelling, reminders
and the closing date."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from tests.polls.conftest import later, poll_data
from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.jobs import Job
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.meetings.models import Rsvp
from workspace.meetings.service import MeetingData
from workspace.notifications.models import Notification
from workspace.polls import access, service
from workspace.polls.models import (
    ASK_CHOSEN,
    CANCELLED,
    CLOSED,
    CONCLUDED,
    FOR_WORKSHOP,
    MAYBE,
    NO,
    YES,
    Poll,
    PollAnswer,
    PollResponse,
)
from workspace.workshops.models import CONFIRMED, WAITING, Registration
from workspace.workshops.service import WorkshopData


def _answer(user, poll, *choices, comment=""):
    ids = [slot.id for slot in poll.slots]
    response = service.answer_poll(user, poll.id, dict(zip(ids, choices, strict=False)),
                                   comment)
    db.session.commit()
    return response


def _notified(kind, poll) -> set[int]:
    return set(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == kind, Notification.target_id == poll.id)))


# --- opening ---------------------------------------------------------------------------

def test_opening_invites_the_whole_network(scene, make_poll):
    poll = make_poll()
    assert [slot.starts_at for slot in poll.slots] == sorted(s.starts_at for s in poll.slots)
    assert _notified("poll_opened", poll) == {scene.paul.id, scene.marie.id, scene.luc.id}


def test_chosen_members_and_communes_are_asked_and_no_one_else(scene, make_poll):
    poll = make_poll(audience=ASK_CHOSEN, people_ids=[scene.paul.id, scene.outsider.id],
                     commune_ids=[scene.communes["Allonnes"].id])
    # Paul by name, Luc by his commune; the outsider is not a member; Marie not chosen
    assert _notified("poll_opened", poll) == {scene.paul.id, scene.luc.id}
    assert access.is_asked(scene.paul, poll) and access.is_asked(scene.luc, poll)
    assert not access.is_asked(scene.marie, poll)
    assert not access.is_asked(scene.outsider, poll)
    with pytest.raises(PermissionDenied):
        service.answer_poll(scene.marie, poll.id, {poll.slots[0].id: YES})


@pytest.mark.parametrize(("over", "message"), [
    ({"slots": []}, "au moins deux créneaux"),
    ({"location": ""}, "lieu ou un lien"),
    ({"closes_at": later(-1)}, "clôture du sondage doit être à venir"),
    ({"closes_at": later(20)}, "avant le premier créneau"),
    ({"slots": [(later(-2), later(-2) + timedelta(hours=1)),
                (later(12), later(12) + timedelta(hours=1))]}, "à venir"),
    ({"slots": [(later(12), later(11)), (later(13), later(14))]}, "après son début"),
    ({"audience": ASK_CHOSEN}, "au moins une personne ou une commune"),
])
def test_opening_refuses_what_makes_no_sense(scene, over, message):
    with pytest.raises(DomainError, match=message):
        service.open_poll(scene.coordinator, scene.network, poll_data(**over))


def test_only_coordinators_open_polls(scene):
    with pytest.raises(PermissionDenied):
        service.open_poll(scene.paul, scene.network, poll_data())


# --- answering -------------------------------------------------------------------------

def test_answers_change_until_the_close_and_stay_one_per_person(scene, make_poll):
    poll = make_poll()
    _answer(scene.paul, poll, YES, NO, MAYBE, comment="Plutôt le matin")
    _answer(scene.paul, poll, NO, YES, comment="Finalement l'après-midi")
    assert service.answers_of(scene.paul, poll) == (
        {poll.slots[0].id: NO, poll.slots[1].id: YES, poll.slots[2].id: MAYBE},
        "Finalement l'après-midi")
    assert db.session.scalar(select(func.count()).select_from(PollAnswer)) == 3
    assert db.session.scalar(select(func.count()).select_from(PollResponse)) == 1


def test_an_answer_after_the_closing_date_is_refused(scene, make_poll):
    poll = make_poll()
    with pytest.raises(DomainError, match="clos"):
        service.answer_poll(scene.paul, poll.id, {poll.slots[0].id: YES},
                            now=poll.closes_at + timedelta(seconds=1))


@pytest.mark.parametrize("choices", [{}, {"slot": "peut-être"}, {"other": YES}])
def test_unknown_answers_are_refused(scene, make_poll, choices):
    poll = make_poll()
    posted = {poll.slots[0].id if key == "slot" else 2**31 - 1: value
              for key, value in choices.items()}
    with pytest.raises(DomainError):
        service.answer_poll(scene.paul, poll.id, posted)


def test_the_table_counts_and_shows_the_communes_nobody_covers(scene, make_poll):
    poll = make_poll()
    _answer(scene.paul, poll, YES, NO, MAYBE)    # Coulaines
    _answer(scene.marie, poll, NO, YES, MAYBE)   # Mulsanne
    _answer(scene.luc, poll, YES, MAYBE, NO)     # Allonnes
    table = service.poll_table(poll)
    assert [(t.yes, t.maybe, t.no) for t in table.slots] == [(2, 0, 1), (1, 1, 1), (0, 2, 1)]
    assert table.communes == ["Allonnes", "Coulaines", "Mulsanne"]
    assert [t.missing for t in table.slots] == [["Mulsanne"], ["Coulaines"], ["Allonnes"]]
    assert (table.asked, table.answered) == (4, 3)  # the coordinator is asked too
    assert table.best.slot.id == poll.slots[0].id  # two can come, as in slot 2, both sure


# --- concluding and cancelling ---------------------------------------------------------

def _meeting_data(poll, slot):
    return MeetingData(title=poll.title, description="", starts_at=slot.starts_at,
                       ends_at=slot.ends_at, location=poll.location)


def test_concluding_makes_the_meeting_with_the_answers_as_its_first_answers(scene, make_poll,
                                                                         mailbox):
    poll = make_poll()
    _answer(scene.paul, poll, YES, NO)
    _answer(scene.marie, poll, MAYBE, YES)
    _answer(scene.luc, poll, NO, YES)
    slot = poll.slots[0]
    meeting = service.conclude_with_meeting(scene.coordinator, poll.id, slot.id,
                                            _meeting_data(poll, slot))
    db.session.commit()
    assert (meeting.starts_at, meeting.ends_at) == (slot.starts_at, slot.ends_at)
    answers = dict(db.session.execute(select(Rsvp.user_id, Rsvp.answer).where(
        Rsvp.meeting_id == meeting.id)).all())
    assert answers == {scene.paul.id: "yes", scene.marie.id: "maybe"}
    stored = db.session.get(Poll, poll.id)
    assert (stored.status, stored.meeting_id, stored.chosen_slot_id) == (
        CONCLUDED, meeting.id, slot.id)
    assert _notified("poll_concluded", poll) == {scene.paul.id, scene.marie.id, scene.luc.id}
    # the e-mail of the chosen date carries the iCalendar link of the meeting
    [message] = [m for m in mailbox.to(scene.luc.email) if "Date retenue" in m["Subject"]]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"/calendar/meetings/{meeting.id}.ics" in body
    with pytest.raises(DomainError, match="clos"):
        service.answer_poll(scene.paul, poll.id, {slot.id: NO})
    with pytest.raises(DomainError, match="déjà conclu"):
        service.conclude_with_meeting(scene.coordinator, poll.id, slot.id,
                                      _meeting_data(poll, slot))


def test_concluding_into_a_workshop_registers_those_who_said_yes(scene, make_poll):
    poll = make_poll(target=FOR_WORKSHOP)
    _answer(scene.paul, poll, YES)
    _answer(scene.marie, poll, YES)
    _answer(scene.luc, poll, MAYBE)
    slot = poll.slots[0]
    workshop = service.conclude_with_workshop(scene.coordinator, poll.id, slot.id, WorkshopData(
        theme="Sauvegardes", title=poll.title, description="", starts_at=slot.starts_at,
        ends_at=slot.ends_at, location=poll.location, capacity=1, seats_per_commune=None,
        registration_deadline=slot.starts_at))
    db.session.commit()
    statuses = dict(db.session.execute(select(Registration.user_id, Registration.status).where(
        Registration.workshop_id == workshop.id)).all())
    assert statuses == {scene.paul.id: CONFIRMED, scene.marie.id: WAITING}  # one seat
    assert db.session.get(Poll, poll.id).workshop_id == workshop.id


def test_cancelling_tells_those_asked(scene, make_poll):
    poll = make_poll()
    service.cancel_poll(scene.coordinator, poll.id)
    db.session.commit()
    assert db.session.get(Poll, poll.id).status == CANCELLED
    assert _notified("poll_cancelled", poll) == {scene.paul.id, scene.marie.id, scene.luc.id}
    with pytest.raises(DomainError):
        service.answer_poll(scene.paul, poll.id, {poll.slots[0].id: YES})
    with pytest.raises(PermissionDenied):
        service.cancel_poll(scene.paul, poll.id)


# --- reminders and the closing date ----------------------------------------------------

def test_reminder_goes_once_to_those_who_have_not_answered(scene, make_poll):
    poll = make_poll(closes_at=utcnow() + timedelta(hours=12))
    _answer(scene.paul, poll, YES)
    assert service.send_reminders(utcnow()) == 3
    db.session.commit()
    assert _notified("poll_reminder", poll) == {scene.marie.id, scene.luc.id,
                                                scene.coordinator.id}
    assert service.send_reminders(utcnow()) == 0  # once


def test_reminders_wait_for_the_last_day(scene, make_poll):
    make_poll()  # closes in five days
    assert service.send_reminders(utcnow()) == 0


def test_the_sweep_closes_expired_polls(app, scene, make_poll):
    from workspace.core.jobs import enqueue, periodic_tasks, run_pending_jobs

    poll = make_poll()
    db.session.execute(update(Poll).where(Poll.id == poll.id)
                       .values(closes_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    enqueue("polls.sweep", {})
    db.session.commit()
    run_pending_jobs()
    db.session.expire_all()
    assert db.session.get(Poll, poll.id).status == CLOSED
    assert db.session.scalar(select(Job.status).where(Job.kind == "polls.sweep")) == "done"
    assert "polls.sweep" in periodic_tasks(app)
