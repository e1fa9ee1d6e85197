"""The .ics file of one meeting or workshop: parsable, in Paris time with its VTIMEZONE,
stable UID, organizer and confirmed attendees only; 404 outside the network."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import DateTime, text

from tests.calendar.helpers import (
    TITLE,
    add_registration,
    answer,
    make_meeting,
    make_workshop,
    register,
)
from workspace.core.models import utcnow
from workspace.core.urls import public_url
from workspace.extensions import db
from workspace.meetings import service as meetings
from workspace.meetings.models import Meeting
from workspace.workshops.models import CONFIRMED, WAITING

PARIS = ZoneInfo("Europe/Paris")


def meeting_ics_url(network, meeting) -> str:
    return f"/n/{network.slug}/calendar/meetings/{meeting.id}.ics"


def workshop_ics_url(network, workshop) -> str:
    return f"/n/{network.slug}/calendar/workshops/{workshop.id}.ics"


def only_event(response):
    assert response.status_code == 200, response.status_code
    calendar = Calendar.from_ical(response.data)
    [event] = calendar.events
    return calendar, event


def emails(addresses) -> set[str]:
    return {str(address).removeprefix("mailto:") for address in addresses}


def test_meeting_keeps_paris_wall_clock_time_on_the_night_summer_time_begins(
        people, signed_in):
    meeting = make_meeting(people.coordinator, people.network,
                           agenda=[("Migration Zimbra", "Alice Martin", 30),
                                   ("Questions diverses", "", None)])
    stored = db.session.execute(text("SELECT starts_at FROM meetings WHERE id = :id")
                                .columns(starts_at=DateTime), {"id": meeting.id}).scalar_one()
    assert stored == datetime(2017, 3, 26, 8, 0)  # UTC in the database
    assert db.session.get(Meeting, meeting.id).starts_at == \
        datetime(2017, 3, 26, 8, 0, tzinfo=UTC)

    response = signed_in(people.alice).get(meeting_ics_url(people.network, meeting))
    calendar, event = only_event(response)
    assert b"DTSTART;TZID=Europe/Paris:20170326T100000" in response.data
    assert b"DTEND;TZID=Europe/Paris:20170326T120000" in response.data
    assert event.start == datetime(2017, 3, 26, 10, 0, tzinfo=PARIS)
    assert event.start.utcoffset() == timedelta(hours=2)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(event["UID"]) == f"meeting-{meeting.id}@tilt.test"
    assert int(event["SEQUENCE"]) == meeting.sequence == 1
    assert "DTSTAMP" in event
    assert str(event["SUMMARY"]) == TITLE
    assert str(event["LOCATION"]) == "Mairie de Coulaines, salle du conseil"
    description = str(event["DESCRIPTION"])
    assert "1. Migration Zimbra (Alice Martin, 30 min)" in description
    assert "2. Questions diverses" in description
    assert str(event["URL"]) == public_url("meetings.meeting_detail",
                                           network_slug=people.network.slug,
                                           meeting_id=meeting.id)
    assert "STATUS:CONFIRMED" in response.get_data(as_text=True)


def test_meeting_file_is_an_attachment_in_utf8(people, signed_in):
    meeting = make_meeting(people.coordinator, people.network)
    response = signed_in(people.alice).get(meeting_ics_url(people.network, meeting))
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "reunion-reunion-du-reseau-informatique-a-coulaines-2017-03-26.ics" in disposition
    assert "Réunion du réseau".encode() in response.data


def test_organizer_and_only_the_people_who_said_yes(people, signed_in):
    meeting = make_meeting(people.coordinator, people.network,
                           starts_at=utcnow() + timedelta(days=3))
    answer(people.alice, meeting, "yes")
    answer(people.bob, meeting, "no")
    answer(people.chloe, meeting, "maybe")
    _calendar, event = only_event(signed_in(people.bob).get(
        meeting_ics_url(people.network, meeting)))
    organizer = event["ORGANIZER"]
    assert str(organizer) == f"mailto:{people.coordinator.email}"
    assert organizer.params["CN"] == "Claire Moreau"
    attendees = event["ATTENDEE"]
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert emails(attendees) == {people.alice.email}
    assert attendees[0].params["CN"] == "Alice Martin"
    assert attendees[0].params["PARTSTAT"] == "ACCEPTED"


def test_cancelled_meeting_says_so_with_a_new_sequence(people, signed_in):
    meeting = make_meeting(people.coordinator, people.network)
    meetings.cancel_meeting(people.coordinator, meeting)
    db.session.commit()
    _calendar, event = only_event(signed_in(people.alice).get(
        meeting_ics_url(people.network, meeting)))
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2
    assert str(event["UID"]) == f"meeting-{meeting.id}@tilt.test"  # same event, updated


def test_workshop_lists_confirmed_people_not_the_waiting_list(people, signed_in):
    workshop = make_workshop(people.coordinator, people.network, capacity=1,
                             starts_at=utcnow() + timedelta(days=10))
    assert register(people.alice, workshop).status == CONFIRMED
    assert register(people.bob, workshop).status == WAITING
    response = signed_in(people.chloe).get(workshop_ics_url(people.network, workshop))
    _calendar, event = only_event(response)
    assert str(event["UID"]) == f"workshop-{workshop.id}@tilt.test"
    assert str(event["SUMMARY"]) == "Atelier sauvegardes et PRA"
    assert str(event["LOCATION"]) == "Le Mans, Hôtel de Ville"
    assert emails([event["ATTENDEE"]]) == {people.alice.email}
    assert str(event["ORGANIZER"]) == f"mailto:{people.coordinator.email}"
    assert event.start.tzinfo is not None and str(event["DTSTART"].params["TZID"]) == \
        "Europe/Paris"
    assert "atelier-atelier-sauvegardes-et-pra-" in response.headers["Content-Disposition"]


def test_past_workshop_attendees_are_its_confirmed_registrations(people, signed_in):
    workshop = make_workshop(people.coordinator, people.network,
                             starts_at=datetime(2025, 1, 14, 13, tzinfo=UTC),
                             registration_deadline=datetime(2025, 1, 10, tzinfo=UTC))
    add_registration(people.alice, workshop, CONFIRMED)
    add_registration(people.bob, workshop, "cancelled")
    _calendar, event = only_event(signed_in(people.alice).get(
        workshop_ics_url(people.network, workshop)))
    assert emails([event["ATTENDEE"]]) == {people.alice.email}
    assert event.start == datetime(2025, 1, 14, 14, tzinfo=PARIS)  # winter: UTC+1


@pytest.mark.parametrize("kind", ["meeting", "workshop"])
def test_private_network_events_are_404_to_outsiders_and_other_slugs(people, signed_in, kind):
    if kind == "meeting":
        item = make_meeting(people.coordinator, people.network)
        url = meeting_ics_url
    else:
        item = make_workshop(people.coordinator, people.network,
                             starts_at=utcnow() + timedelta(days=5))
        url = workshop_ics_url
    outsider = signed_in(people.outsider)
    assert outsider.get(url(people.network, item)).status_code == 404
    # through the outsider's own network: the object is not part of it
    assert outsider.get(url(people.other, item)).status_code == 404
    assert signed_in(people.alice).get(url(people.other, item)).status_code == 404
    assert signed_in(people.alice).get(url(people.network, item)).status_code == 200


def test_unknown_event_and_anonymous_visitor(people, signed_in, client):
    meeting = make_meeting(people.coordinator, people.network)
    assert signed_in(people.alice).get(
        f"/n/{people.network.slug}/calendar/meetings/{meeting.id + 999}.ics").status_code == 404
    response = client.get(meeting_ics_url(people.network, meeting))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
