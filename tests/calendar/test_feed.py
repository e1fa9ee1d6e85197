"""The private feed: an address made on the account page, shown once, stored hashed; what it
shows follows what its owner may see now; regenerated or revoked addresses answer 404."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import event, select

from tests.calendar.helpers import answer, make_meeting, make_workshop, paris
from tests.conftest import text_of
from workspace.auth.models import User, hash_token
from workspace.calendar import feeds
from workspace.calendar.models import FeedToken
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.networks.models import Membership

FEED_URL = re.compile(r'value="http://tilt\.test(/calendar/feed/[A-Za-z0-9_-]+\.ics)"')


def create_feed(client) -> str:
    """Press the button on the account page; returns the feed's path, shown once."""
    response = client.post("/account/calendar", data={"issue": "1"})
    assert response.status_code == 200
    return FEED_URL.search(text_of(response)).group(1)


def summaries(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [str(event["SUMMARY"]) for event in Calendar.from_ical(response.data).events]


def test_account_page_creates_an_address_shown_once_and_stored_hashed(people, signed_in):
    client = signed_in(people.alice)
    page = text_of(client.get("/account/calendar"))
    assert "Créer mon adresse d'abonnement" in page and "/calendar/feed/" not in page
    path = create_feed(client)
    token = path.removeprefix("/calendar/feed/").removesuffix(".ics")
    [row] = db.session.scalars(select(FeedToken)).all()
    assert row.user_id == people.alice.id and row.token_hash == hash_token(token)
    assert token not in row.token_hash
    page = text_of(client.get("/account/calendar"))
    assert "/calendar/feed/" not in page  # never shown again
    assert "Régénérer l'adresse" in page and "Révoquer l'adresse" in page


def test_feed_lists_the_events_of_visible_networks_for_calendar_programs(
        people, signed_in, client, make_network):
    open_network = make_network("Réseau voirie", is_private=False,
                                coordinators=[people.coordinator])
    make_meeting(people.coordinator, people.network, title="Comité informatique",
                 starts_at=utcnow() + timedelta(days=7))
    make_workshop(people.coordinator, people.network, title="Atelier Zimbra",
                  starts_at=utcnow() + timedelta(days=20))
    make_meeting(people.coordinator, open_network, title="Voirie : hiver",
                 starts_at=utcnow() + timedelta(days=2))
    make_meeting(people.outsider, people.other, title="Patrimoine privé",
                 starts_at=utcnow() + timedelta(days=3))
    make_meeting(people.coordinator, people.network, title="Il y a longtemps",
                 starts_at=utcnow() - timedelta(days=100))
    make_meeting(people.coordinator, people.network, title="Le mois dernier",
                 starts_at=utcnow() - timedelta(days=30))
    path = create_feed(signed_in(people.alice))

    response = client.get(path)  # no session: as Thunderbird or Zimbra would
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert summaries(response) == ["Le mois dernier", "Voirie : hiver", "Comité informatique",
                                   "Atelier Zimbra"]
    calendar = Calendar.from_ical(response.data)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert "REFRESH-INTERVAL" in calendar


def test_feed_keeps_ten_oclock_on_both_sides_of_the_october_change(
        people, signed_in, client, monkeypatch):
    monkeypatch.setattr(feeds, "utcnow", lambda: datetime(2026, 10, 20, tzinfo=UTC))
    before = make_meeting(people.coordinator, people.network, title="Samedi 24 octobre",
                          starts_at=paris(2026, 10, 24, 10))
    after = make_meeting(people.coordinator, people.network, title="Samedi 31 octobre",
                         starts_at=paris(2026, 10, 31, 10))
    assert before.starts_at == datetime(2026, 10, 24, 8, 0, tzinfo=UTC)
    assert after.starts_at == datetime(2026, 10, 31, 9, 0, tzinfo=UTC)
    response = client.get(create_feed(signed_in(people.alice)))
    assert b"DTSTART;TZID=Europe/Paris:20261024T100000" in response.data
    assert b"DTSTART;TZID=Europe/Paris:20261031T100000" in response.data
    starts = [event.start for event in Calendar.from_ical(response.data).events]
    assert [start.hour for start in starts] == [10, 10]
    in_utc = [start.astimezone(UTC) for start in starts]
    assert [moment.hour for moment in in_utc] == [8, 9]
    assert in_utc[1] - in_utc[0] == timedelta(days=7, hours=1)  # a night an hour longer


def test_someone_elses_feed_shows_their_networks_only(people, signed_in, client, make_user,
                                                      make_network):
    bea = make_user(first_name="Béatrice", last_name="Roux")
    make_network("Réseau bâtiments", members=[bea])
    make_meeting(people.coordinator, people.network, title="Comité informatique",
                 starts_at=utcnow() + timedelta(days=7))
    make_meeting(people.outsider, people.other, title="Patrimoine privé",
                 starts_at=utcnow() + timedelta(days=3))
    db.session.add(Membership(network_id=people.other.id, user_id=bea.id))
    db.session.commit()
    alice = signed_in(people.alice)
    create_feed(alice)
    bea_path = create_feed(signed_in(bea))
    assert summaries(client.get(bea_path)) == ["Patrimoine privé"]
    # a browser signed in as Alice does not open Béatrice's address
    assert alice.get(bea_path).status_code == 404


def test_feed_follows_what_its_owner_may_see_now(people, signed_in, client):
    make_meeting(people.coordinator, people.network, title="Comité informatique",
                 starts_at=utcnow() + timedelta(days=7))
    path = create_feed(signed_in(people.bob))
    assert summaries(client.get(path)) == ["Comité informatique"]
    membership = db.session.scalar(select(Membership).where(
        Membership.user_id == people.bob.id, Membership.network_id == people.network.id))
    db.session.delete(membership)
    db.session.commit()
    assert summaries(client.get(path)) == []
    db.session.get(User, people.bob.id).is_active = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_regenerating_revokes_the_old_address_and_revoking_stops_it(people, signed_in, client):
    alice = signed_in(people.alice)
    first = create_feed(alice)
    second = create_feed(alice)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    response = alice.post("/account/calendar", data={"revoke": "1"})
    assert response.status_code == 302
    assert "révoquée" in text_of(alice.get("/account/calendar"))
    assert client.get(second).status_code == 404
    assert db.session.scalar(select(FeedToken).where(FeedToken.revoked_at.is_(None))) is None


@pytest.mark.parametrize("token", ["invente", "x" * 43, "a" * 500])
def test_invented_addresses_are_404(people, signed_in, client, token):
    create_feed(signed_in(people.alice))
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_feed_event_matches_the_single_file(people, signed_in, client):
    meeting = make_meeting(people.coordinator, people.network,
                           starts_at=utcnow() + timedelta(days=4))
    answer(people.alice, meeting, "yes")
    [event] = Calendar.from_ical(client.get(create_feed(signed_in(people.bob))).data).events
    assert str(event["UID"]) == f"meeting-{meeting.id}@tilt.test"
    assert str(event["ORGANIZER"]) == f"mailto:{people.coordinator.email}"
    assert str(event["ATTENDEE"]) == f"mailto:{people.alice.email}"


def test_account_page_needs_signing_in(client):
    response = client.get("/account/calendar")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_feed_statement_count_does_not_grow_with_the_events(people, signed_in, client):
    path = create_feed(signed_in(people.alice))

    def statements_for_feed() -> int:
        count = []
        listener = lambda *args: count.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(count)

    def add_events(n: int) -> None:
        for day in range(n):
            meeting = make_meeting(people.coordinator, people.network,
                                   starts_at=utcnow() + timedelta(days=day + 1),
                                   agenda=[("Point", "Alice Martin", 10)])
            answer(people.alice, meeting, "yes")
            make_workshop(people.coordinator, people.network,
                          starts_at=utcnow() + timedelta(days=day + 1))

    add_events(2)
    few = statements_for_feed()
    add_events(10)
    assert statements_for_feed() == few


def test_an_event_stored_in_year_9999_does_not_break_anyones_feed(people, signed_in, client):
    """Forms now refuse such years; a meeting stored before must not stop every feed."""
    make_meeting(people.coordinator, people.network, title="Comité informatique",
                 starts_at=utcnow() + timedelta(days=7))
    far = make_meeting(people.coordinator, people.network, title="Dans très longtemps",
                       starts_at=datetime(9999, 12, 31, 8, tzinfo=UTC), hours=1)
    alice = signed_in(people.alice)
    path = create_feed(alice)
    assert "Comité informatique" in summaries(client.get(path))
    single = alice.get(f"/n/{people.network.slug}/calendar/meetings/{far.id}.ics")
    assert summaries(single) == ["Dans très longtemps"]
