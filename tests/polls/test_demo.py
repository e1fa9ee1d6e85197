"""The demo data holds one open poll (answered by three communes) and one poll already
turned into a meeting; loading again adds nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from workspace.demo import load_demo_data
from workspace.demo.polls import load_demo_polls
from workspace.extensions import db
from workspace.meetings.models import Meeting, Rsvp
from workspace.polls import access, service
from workspace.polls.models import CONCLUDED, OPEN, Poll


def test_demo_polls_are_loaded_once(app):
    load_demo_data()
    db.session.commit()
    polls = {poll.status: poll for poll in db.session.scalars(select(Poll))}
    assert set(polls) == {OPEN, CONCLUDED}
    running = polls[OPEN]
    assert access.is_open(running)
    assert service.poll_table(running).answered == 3
    meeting = db.session.get(Meeting, polls[CONCLUDED].meeting_id)
    assert meeting.title == polls[CONCLUDED].title
    assert db.session.scalar(select(func.count()).select_from(Rsvp).where(
        Rsvp.meeting_id == meeting.id)) == 4
    assert load_demo_polls() is False
