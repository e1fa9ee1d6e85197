"""Meetings: scheduling in Paris time, agenda, answers, attendance, minutes with revisions,
decisions and action items carried to the next meeting."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.conftest import text_of
from workspace.core.revisions import revisions
from workspace.extensions import db
from workspace.meetings.models import ActionItem, Meeting, Rsvp


@pytest.fixture
def network_people(make_user, make_network, make_organisation):
    coulaines = make_organisation("Coulaines")
    member = make_user(first_name="Thomas", last_name="Bernard", organisation_id=coulaines.id)
    coordinator = make_user(first_name="Julien", last_name="Lefèvre")
    outsider = make_user(first_name="Oscar", last_name="Dehors")
    network = make_network("Réseau informatique", members=[member], coordinators=[coordinator])
    make_network("Autre", members=[outsider])
    return network, member, coordinator, outsider, coulaines


def _schedule(client, network, **over):
    data = {"title": "Réunion du réseau", "starts_at": "2017-03-26T10:00",
            "ends_at": "2017-03-26T12:00", "location": "Hôtel de communauté, Le Mans",
            "video_url": "", "description": "",
            "agenda-0-title": "Messagerie Zimbra", "agenda-0-presenter": "Julien Lefèvre",
            "agenda-0-duration": "30", "agenda-1-title": "Sauvegardes",
            "agenda-1-presenter": "", "agenda-1-duration": "20"}
    data.update(over)
    return client.post(f"/n/{network.slug}/meetings/new", data=data)


def test_meeting_on_26_march_2017_at_10_paris_is_stored_at_8_utc(client, login,
                                                                  network_people):
    network, _, coordinator, _, _ = network_people
    login(client, coordinator)
    assert _schedule(client, network).status_code == 302
    meeting = db.session.scalar(select(Meeting))
    assert meeting.starts_at == datetime(2017, 3, 26, 8, 0, tzinfo=UTC)
    assert [(i.title, i.presenter, i.duration_minutes) for i in meeting.agenda] == [
        ("Messagerie Zimbra", "Julien Lefèvre", 30), ("Sauvegardes", "", 20)]
    page = text_of(client.get(f"/n/{network.slug}/meetings/{meeting.id}"))
    assert "dimanche 26 mars 2017 à 10:00" in page


@pytest.mark.parametrize(("over", "message"), [
    ({"ends_at": "2017-03-26T09:00"}, "La fin doit être après le début."),
    ({"starts_at": "2017-02-30T10:00"}, ""),
    ({"starts_at": "2017-03-26T02:30", "ends_at": "2017-03-26T04:00"}, "n'existe pas"),
    ({"location": "", "video_url": ""}, "lieu ou un lien"),
    ({"agenda-1-duration": "beaucoup"}, "nombre de minutes"),
    ({"agenda-1-duration": "²"}, "nombre de minutes"),
    ({"agenda-1-duration": "99999999999999999999"}, "nombre de minutes"),
    ({"video_url": "javascript:alert(1)"}, ""),
    ({"starts_at": "9999-03-26T10:00", "ends_at": "9999-03-26T12:00"},
     "Choisissez une date entre 2000 et 2100."),
    ({"starts_at": "1999-12-31T10:00", "ends_at": "2017-03-26T12:00"},
     "Choisissez une date entre 2000 et 2100."),
    ({"starts_at": "99999-03-26T10:00"}, "Date ou heure invalide."),
])
def test_dates_and_fields_that_make_no_sense_are_refused(client, login, network_people, over,
                                                         message):
    network, _, coordinator, _, _ = network_people
    login(client, coordinator)
    response = _schedule(client, network, **over)
    assert response.status_code == 200
    assert message in text_of(response)
    assert "invalid" in text_of(response) or "alert-danger" in text_of(response)
    assert db.session.scalar(select(Meeting)) is None


def test_members_answer_and_coordinator_sees_answers_by_commune(app, client, login,
                                                                network_people):
    network, member, coordinator, _, _ = network_people
    login(client, coordinator)
    _schedule(client, network, starts_at="2030-05-12T14:00", ends_at="2030-05-12T16:00")
    meeting = db.session.scalar(select(Meeting))
    member_client = app.test_client()
    login(member_client, member)
    member_client.post(f"/n/{network.slug}/meetings/{meeting.id}/rsvp", data={"answer": "yes"})
    assert db.session.get(Rsvp, (meeting.id, member.id)).answer == "yes"
    assert member_client.post(f"/n/{network.slug}/meetings/{meeting.id}/rsvp",
                              data={"answer": "pirate"}).status_code == 302
    assert db.session.get(Rsvp, (meeting.id, member.id)).answer == "yes"
    page = text_of(client.get(f"/n/{network.slug}/meetings/{meeting.id}"))
    assert "Réponses par commune" in page and "Coulaines" in page and "Thomas Bernard" in page
    client.post(f"/n/{network.slug}/meetings/{meeting.id}/attendance",
                data={"present": [str(member.id)]})
    assert db.session.get(Rsvp, (meeting.id, member.id)).attended is True
    assert db.session.get(Rsvp, (meeting.id, coordinator.id)).attended is False


def test_minutes_keep_revisions_and_actions_reach_the_next_agenda(client, login,
                                                                  network_people):
    network, member, coordinator, _, coulaines = network_people
    login(client, coordinator)
    _schedule(client, network, starts_at="2017-03-26T10:00", ends_at="2017-03-26T12:00")
    _schedule(client, network, title="Réunion suivante", starts_at="2030-06-01T10:00",
              ends_at="2030-06-01T12:00")
    first, second = db.session.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
    base = f"/n/{network.slug}/meetings/{first.id}"
    client.post(f"{base}/minutes", data={"minutes": "## Messagerie\nAccord sur **Zimbra**."})
    client.post(f"{base}/minutes", data={"minutes": "## Messagerie\nAccord sur **Zimbra**."})
    client.post(f"{base}/minutes", data={"minutes": "## Messagerie\nAccord unanime."})
    assert [r.number for r in revisions("meeting_minutes", first.id)] == [2, 1]
    client.post(f"{base}/decisions", data={"text": "Étudier une offre mutualisée de messagerie"})
    client.post(f"{base}/actions", data={"title": "Recenser les contrats de messagerie",
                                         "owner": f"org:{coulaines.id}",
                                         "due_on": "2017-06-30"})
    item = db.session.scalar(select(ActionItem))
    assert item.owner_organisation_id == coulaines.id and item.meeting_id == first.id
    next_agenda = text_of(client.get(f"/n/{network.slug}/meetings/{second.id}"))
    assert "Suivi des actions en cours" in next_agenda
    assert "Recenser les contrats de messagerie" in next_agenda
    client.post(f"/n/{network.slug}/meetings/actions/{item.id}/status", data={"status": "done"})
    assert "Recenser les contrats" not in text_of(
        client.get(f"/n/{network.slug}/meetings/{second.id}")).split("Compte rendu")[0]
    history = text_of(client.get(f"{base}/minutes/history"))
    assert "Version 2" in history and "Accord unanime" in history


def test_outsider_gets_404_on_every_meeting_url(client, login, network_people):
    network, member, coordinator, outsider, _ = network_people
    login(client, coordinator)
    _schedule(client, network)
    meeting = db.session.scalar(select(Meeting))
    client.post(f"/n/{network.slug}/meetings/{meeting.id}/actions", data={
        "title": "x", "owner": f"user:{member.id}"})
    item = db.session.scalar(select(ActionItem))
    client.post("/logout")
    login(client, outsider)
    base = f"/n/{network.slug}/meetings"
    for path in ("/", "/new", f"/{meeting.id}", f"/{meeting.id}/edit",
                 f"/{meeting.id}/attendance", f"/{meeting.id}/minutes",
                 f"/{meeting.id}/minutes/history", "/actions"):
        assert client.get(base + path).status_code == 404, path
    for path in (f"/{meeting.id}/rsvp", f"/{meeting.id}/cancel", f"/{meeting.id}/decisions",
                 f"/{meeting.id}/actions", f"/actions/{item.id}/status",
                 f"/{meeting.id}/documents"):
        assert client.post(base + path).status_code == 404, path


def test_members_cannot_schedule(client, login, network_people):
    network, member, _, _, _ = network_people
    login(client, member)
    assert client.get(f"/n/{network.slug}/meetings/new").status_code == 403
    assert _schedule(client, network).status_code == 403


def test_network_home_shows_meetings_workshops_with_seats_and_open_actions(
        client, login, network_people):
    from datetime import timedelta

    from workspace.meetings import service as meetings
    from workspace.workshops import service as workshops

    network, member, coordinator, _, _ = network_people
    start = datetime(2031, 4, 2, 8, tzinfo=UTC)
    meeting = meetings.save_meeting(coordinator, network, None, meetings.MeetingData(
        title="Réunion de printemps", description="", starts_at=start,
        ends_at=start + timedelta(hours=2), location="Coulaines"))
    meetings.add_action(coordinator, network, meeting, "Recenser les contrats",
                        owner_user=member)
    workshops.save_workshop(coordinator, network, None, workshops.WorkshopData(
        theme="Énergie", title="Audit énergétique des écoles", description="",
        starts_at=start, ends_at=start + timedelta(hours=3), location="Mulsanne",
        capacity=12, seats_per_commune=None, registration_deadline=start))
    db.session.commit()
    login(client, member)
    page = text_of(client.get(f"/n/{network.slug}/"))
    assert "Réunion de printemps" in page and "Recenser les contrats" in page
    assert "Audit énergétique des écoles" in page and "12 places restantes sur 12" in page
