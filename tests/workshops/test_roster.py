"""A page's registrations come from one statement: what a concurrent registration could fall
between does not exist (see tests/concurrency/test_workshop_page_reads.py for the race)."""
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from workspace.extensions import db
from workspace.meetings import service as meetings
from workspace.meetings.models import Meeting, Rsvp
from workspace.workshops import service
from workspace.workshops.roster import roster


@contextmanager
def statements():
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _workshop(network, coordinator, capacity):
    start = datetime.now(UTC) + timedelta(days=30)
    workshop = service.save_workshop(coordinator, network, None, service.WorkshopData(
        theme="Eau", title="Réseaux d'eau", description="", starts_at=start,
        ends_at=start + timedelta(hours=2), location="Allonnes", capacity=capacity,
        seats_per_commune=None, registration_deadline=start - timedelta(days=1)))
    db.session.commit()
    return workshop


def test_roster_is_one_statement_with_positions_and_communes(app, make_user, make_network,
                                                              make_organisation):
    coordinator = make_user()
    communes = [make_organisation("Sargé"), make_organisation("Arnage")]
    people = [make_user(organisation_id=communes[n % 2].id if n % 3 else None)
              for n in range(7)]
    network = make_network(members=people, coordinators=[coordinator])
    workshop = _workshop(network, coordinator, 3)
    for user in people:
        service.register(user, workshop.id)
        db.session.commit()
    db.session.expire_all()
    db.session.refresh(workshop)  # the workshop is at hand, as on the page
    with statements() as seen:
        found = roster(workshop)
        groups = found.waiting_by_commune + found.confirmed_by_commune
        names = [(r.user.full_name, r.organisation and r.organisation.name)
                 for _commune, rows in groups for r in rows]
    assert len(seen) == 1, seen
    assert [r.user_id for r in found.confirmed] == [u.id for u in people[:3]]
    assert found.positions == {r.id: n for n, r in enumerate(found.waiting, start=1)}
    assert [r.user_id for r in found.waiting] == [u.id for u in people[3:]]
    assert [commune for commune, _rows in found.waiting_by_commune] == [
        "Arnage", "Sargé", "Sans commune"]
    assert len(names) == 7


def test_meeting_answers_are_one_statement(app, make_user, make_network, make_organisation):
    coordinator = make_user(organisation_id=make_organisation("Rouillon").id)
    member = make_user()
    network = make_network(members=[member], coordinators=[coordinator])
    start = datetime(2030, 5, 12, 12, tzinfo=UTC)
    meeting = Meeting(network_id=network.id, title="Réunion", starts_at=start,
                      ends_at=start + timedelta(hours=2))
    db.session.add(meeting)
    db.session.flush()
    db.session.add(Rsvp(meeting_id=meeting.id, user_id=member.id, answer="yes"))
    db.session.commit()
    db.session.expire_all()
    db.session.refresh(meeting)
    with statements() as seen:
        groups = meetings.answers_by_commune(meeting)
        shown = [(commune, user.full_name, answer) for commune, rows in groups
                 for user, answer, _attended in rows]
    assert len(seen) == 1, seen
    assert shown == [("Rouillon", coordinator.full_name, None),
                     ("Sans organisation", member.full_name, "yes")]
