"""Reminders: meetings and workshops about to start reach the people expected there, once;
overdue action items reach their owners at most once a week."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.calendar.helpers import answer, make_meeting, make_workshop, paris, register
from workspace.calendar.reminders import remind_overdue_actions, send_event_reminders
from workspace.core.jobs import enqueue, periodic_tasks
from workspace.core.models import utcnow
from workspace.core.urls import public_url
from workspace.extensions import db
from workspace.meetings import service as meetings
from workspace.meetings.models import Meeting
from workspace.networks.models import Membership
from workspace.workshops.models import Workshop


def run_event_reminders(mailbox) -> list:
    mailbox.clear()  # the notifications of registrations and assignments: not reminders
    enqueue("calendar.event_reminders", {"slot": "test"})
    db.session.commit()
    return mailbox.deliver()


def recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message.envelope_to)


def test_both_reminders_are_periodic(app):
    assert periodic_tasks(app)["calendar.event_reminders"].every == timedelta(minutes=15)
    assert periodic_tasks(app)["calendar.overdue_actions"].daily_at == "07:30"


def test_meeting_reminder_reaches_the_yes_answers_once(people, mailbox, make_user):
    meeting = make_meeting(people.coordinator, people.network, title="Comité informatique",
                           starts_at=utcnow() + timedelta(hours=5),
                           agenda=[("Migration Zimbra", "Alice Martin", 30)])
    answer(people.alice, meeting, "yes")
    answer(people.bob, meeting, "no")
    answer(people.chloe, meeting, "maybe")
    leaver = make_user(first_name="Léa", last_name="Partie")
    db.session.add(Membership(network_id=people.network.id, user_id=leaver.id))
    db.session.commit()
    answer(leaver, meeting, "yes")
    db.session.delete(db.session.scalar(select(Membership).where(
        Membership.user_id == leaver.id)))
    db.session.commit()

    messages = run_event_reminders(mailbox)
    assert recipients(messages) == [people.alice.email]
    [message] = messages
    assert message["Subject"].startswith("Rappel : Comité informatique")
    body = message.get_content()
    assert "Bonjour Alice," in body
    assert "Migration Zimbra" in body
    assert public_url("meetings.meeting_detail", network_slug=people.network.slug,
                      meeting_id=meeting.id) in body
    assert db.session.get(Meeting, meeting.id).reminder_sent_at is not None

    mailbox.clear()
    assert run_event_reminders(mailbox) == []  # a second run sends nothing


def test_reminder_date_is_paris_time_in_the_readers_language(people, mailbox, app):
    meeting = make_meeting(people.coordinator, people.network, starts_at=paris(2017, 3, 26, 10))
    answer(people.alice, meeting, "yes")
    people.bob.locale = "en"
    answer(people.bob, meeting, "yes")
    assert send_event_reminders(paris(2017, 3, 25, 18)) == 2
    db.session.commit()
    by_address = {message.envelope_to[0]: message for message in mailbox.deliver()}
    assert "dimanche 26 mars 2017 à 10:00" in by_address[people.alice.email].get_content()
    assert "Sunday 26 March 2017 at 10:00" in by_address[people.bob.email].get_content()


def test_meetings_too_far_cancelled_or_past_get_no_reminder(people, mailbox):
    far = make_meeting(people.coordinator, people.network,
                       starts_at=utcnow() + timedelta(hours=30))
    cancelled = make_meeting(people.coordinator, people.network,
                             starts_at=utcnow() + timedelta(hours=2))
    started = make_meeting(people.coordinator, people.network,
                           starts_at=utcnow() - timedelta(minutes=10))
    for meeting in (far, cancelled, started):
        answer(people.alice, meeting, "yes")
    meetings.cancel_meeting(people.coordinator, cancelled)
    db.session.commit()
    assert run_event_reminders(mailbox) == []
    assert db.session.get(Meeting, far.id).reminder_sent_at is None


def test_reminder_window_follows_the_setting(people, mailbox, app):
    app.config["REMINDER_HOURS_BEFORE"] = 48
    meeting = make_meeting(people.coordinator, people.network,
                           starts_at=utcnow() + timedelta(hours=30))
    answer(people.alice, meeting, "yes")
    assert recipients(run_event_reminders(mailbox)) == [people.alice.email]


def test_workshop_reminder_reaches_confirmed_people_not_the_waiting_list(people, mailbox):
    workshop = make_workshop(people.coordinator, people.network, capacity=2,
                             title="Atelier sauvegardes",
                             starts_at=utcnow() + timedelta(hours=20))
    register(people.alice, workshop)
    register(people.chloe, workshop)
    register(people.bob, workshop)  # waiting list
    people.chloe.is_active = False  # disabled since
    db.session.commit()

    messages = run_event_reminders(mailbox)
    assert recipients(messages) == [people.alice.email]
    assert "Atelier sauvegardes" in messages[0]["Subject"]
    assert f"/workshops/{workshop.id}" in messages[0].get_content()
    assert db.session.get(Workshop, workshop.id).reminder_sent_at is not None
    mailbox.clear()
    assert run_event_reminders(mailbox) == []


# --- overdue action items --------------------------------------------------------------

def remind(day: date, mailbox) -> list:
    mailbox.clear()
    remind_overdue_actions(day)
    db.session.commit()
    return mailbox.deliver()


def test_overdue_action_reminded_at_most_once_a_week(people, mailbox):
    meeting = make_meeting(people.coordinator, people.network)
    meetings.add_action(people.coordinator, people.network, meeting, "Inventorier les NAS",
                        owner_user=people.alice, due_on=date(2026, 3, 1))
    meetings.add_action(people.coordinator, people.network, meeting, "Pas encore dû",
                        owner_user=people.alice, due_on=date(2026, 3, 20))
    done = meetings.add_action(people.coordinator, people.network, meeting, "Déjà fait",
                               owner_user=people.alice, due_on=date(2026, 3, 1))
    meetings.set_action_status(people.coordinator, done, "done")
    db.session.commit()

    [message] = remind(date(2026, 3, 10), mailbox)
    assert message.envelope_to == [people.alice.email]
    body = message.get_content()
    assert "Inventorier les NAS" in body and "1 mars 2026" in body
    assert "Pas encore dû" not in body and "Déjà fait" not in body
    assert f"/meetings/{meeting.id}" in body
    assert remind(date(2026, 3, 11), mailbox) == []
    assert remind(date(2026, 3, 16), mailbox) == []
    assert recipients(remind(date(2026, 3, 17), mailbox)) == [people.alice.email]


def test_commune_owner_reaches_its_people_in_the_network(people, mailbox, make_user):
    elsewhere = make_user(first_name="Hors", last_name="Réseau",
                          organisation_id=people.coulaines.id)
    assert elsewhere  # of Coulaines, but not a member of the network
    meetings.add_action(people.coordinator, people.network, None, "Mettre à jour le plan IP",
                        owner_organisation=people.coulaines, due_on=date(2026, 3, 1))
    db.session.commit()
    messages = remind(date(2026, 3, 2), mailbox)
    assert recipients(messages) == sorted([people.alice.email, people.chloe.email])
    assert "Coulaines" in messages[0].get_content()


def test_overdue_job_runs_through_the_queue(people, mailbox):
    meetings.add_action(people.coordinator, people.network, None, "Action ancienne",
                        owner_user=people.bob, due_on=utcnow().date() - timedelta(days=3))
    mailbox.clear()  # the "action assigned" notification
    enqueue("calendar.overdue_actions", {"slot": "test"})
    db.session.commit()
    assert recipients(mailbox.deliver()) == [people.bob.email]
