"""Date polls under concurrent requests (SQLite here, PostgreSQL when the suite runs on it),
each request through its own test client in its own thread with its own session:

- one person submitting many times at once leaves one answer per slot and one response;
- the coordinator concluding while members answer leaves a consistent result: every answer
  stored was counted in the meeting, every other one was refused with a message.
"""
from __future__ import annotations

import contextlib
import threading
from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import text_of
from tests.polls.conftest import poll_data
from workspace.core.timezones import PARIS
from workspace.extensions import db
from workspace.meetings.models import Rsvp
from workspace.networks.models import Membership
from workspace.polls import service
from workspace.polls.models import CONCLUDED, MAYBE, NO, YES, Poll, PollAnswer, PollResponse

SAVED = "Votre réponse est enregistrée"
REFUSED = "Le sondage est clos : votre réponse n'a pas été enregistrée."


def _scene(make_user, make_network, members: int):
    coordinator = make_user()
    network = make_network("Réseau informatique", coordinators=[coordinator])
    people = [make_user(email=f"technicien{n}@example.org") for n in range(members)]
    for user in people:
        db.session.add(Membership(network_id=network.id, user_id=user.id))
    db.session.commit()
    poll = service.open_poll(coordinator, network, poll_data())
    db.session.commit()
    return network, coordinator, people, poll


def _run_at_once(jobs):
    """Run the callables in threads released together; return their results and errors."""
    barrier = threading.Barrier(len(jobs))
    results, errors, lock = [None] * len(jobs), [], threading.Lock()

    def run(index, job):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=30)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            with lock:
                errors.append(repr(error))

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_one_person_submitting_at_once_leaves_one_answer(app, login, make_user, make_network):
    network, _coordinator, [paul], poll = _scene(make_user, make_network, 1)
    slots = [slot.id for slot in poll.slots]
    path = f"/n/{network.slug}/polls/{poll.id}/answer"
    clients = []
    for _ in range(8):
        client = app.test_client()
        login(client, paul)
        clients.append(client)
    variants = [(YES, NO, MAYBE), (NO, YES, YES), (MAYBE, MAYBE, NO), (YES, YES, YES)]

    def submit(client, choices):
        return client.post(path, data={f"slot-{slot}": choice
                                       for slot, choice in zip(slots, choices, strict=True)}
                           ).status_code

    jobs = [lambda c=c, v=variants[n % 4]: submit(c, v) for n, c in enumerate(clients)]
    statuses, errors = _run_at_once(jobs)
    assert errors == []
    assert set(statuses) == {302}
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PollResponse)) == 1
    stored = db.session.execute(select(PollAnswer.slot_id, PollAnswer.choice)
                                .order_by(PollAnswer.slot_id)).all()
    assert len(stored) == 3
    assert tuple(choice for _slot, choice in stored) in variants  # one whole submission


def test_concluding_while_members_answer_is_consistent(app, login, make_user, make_network):
    network, coordinator, people, poll = _scene(make_user, make_network, 16)
    chosen = poll.slots[0]
    base = f"/n/{network.slug}/polls/{poll.id}"
    member_clients = []
    for user in people:
        client = app.test_client()
        login(client, user)
        member_clients.append(client)
    boss = app.test_client()
    login(boss, coordinator)
    local = chosen.starts_at.astimezone(PARIS)

    def answer(client, choice):
        page = text_of(client.post(f"{base}/answer", data={f"slot-{chosen.id}": choice},
                                   follow_redirects=True))
        return "saved" if SAVED in page else "refused" if REFUSED in page else page[:300]

    def conclude():
        return boss.post(f"{base}/conclude", data={
            "slot": chosen.id, "title": "Réunion de rentrée", "location": "Mairie",
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "video_url": "", "description": ""}).status_code

    choices = [YES if n % 2 else MAYBE for n in range(len(people))]
    jobs = [lambda c=c, ch=ch: answer(c, ch) for c, ch in zip(member_clients, choices,
                                                             strict=True)]
    jobs.insert(len(jobs) // 2, conclude)
    results, errors = _run_at_once(jobs)
    assert errors == []
    concluded_status = results.pop(len(people) // 2)
    assert concluded_status == 302
    assert set(results) <= {"saved", "refused"}, results
    db.session.expire_all()
    stored_poll = db.session.get(Poll, poll.id)
    assert stored_poll.status == CONCLUDED
    answered = dict(db.session.execute(select(PollAnswer.user_id, PollAnswer.choice).where(
        PollAnswer.slot_id == chosen.id)).all())
    invited = dict(db.session.execute(select(Rsvp.user_id, Rsvp.answer).where(
        Rsvp.meeting_id == stored_poll.meeting_id)).all())
    # every answer stored was counted in the meeting, with its meaning; none after
    assert invited == {user_id: "yes" if choice == YES else "maybe"
                       for user_id, choice in answered.items()}
    assert results.count("saved") == len(answered)
    assert results.count("refused") == len(people) - len(answered)
