"""The mail server refuses or is down: each e-mail is retried with back-off and sent once
when the server is back; none is lost. A worker that lost its job sends nothing, and a
message sent again after its job's end was lost keeps its Message-ID."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from workspace.core.jobs import DONE, PENDING, RUNNING, Job, claim_next, run_job, run_pending_jobs
from workspace.core.mail import queue_mail
from workspace.extensions import db


def queue_one() -> int:
    queue_mail("claire@example.org", "Réunion du réseau", "Bonjour,\nÀ jeudi.")
    db.session.commit()
    return db.session.scalar(select(Job.id).where(Job.kind == "mail.send"))


def job(job_id: int) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


def make_due(job_id: int) -> None:
    """Time passes: the retry's back-off is over."""
    db.session.execute(update(Job).where(Job.id == job_id)
                       .values(run_at=datetime.now(UTC)))
    db.session.commit()


def assert_waiting_for_retry(job_id: int, attempts: int, error: str) -> None:
    waiting = job(job_id)
    assert waiting.status == PENDING and waiting.attempts == attempts
    assert error in waiting.last_error
    # back-off: 30 s after the first failure, 1 min after the second (10 % jitter)
    later = datetime.now(UTC) + timedelta(seconds=30 * 2 ** (attempts - 1) * 0.85)
    assert waiting.run_at > later
    assert run_pending_jobs() == 0  # not before its time


def assert_sent_once(mail_server, job_id: int) -> None:
    [message] = mail_server.messages
    assert message["Subject"] == "Réunion du réseau"
    assert message["Message-ID"] == job(job_id).payload["message_id"]
    assert job(job_id).status == DONE
    assert run_pending_jobs() == 0 and len(mail_server.messages) == 1


@pytest.mark.parametrize("refusal", ["451 4.3.0 Mailbox busy, try again later",
                                     "554 5.7.1 Transaction failed"])
def test_a_refused_mail_is_retried_then_sent_once(app, mail_server, refusal):
    mail_server.handler.refusal = refusal
    job_id = queue_one()
    assert run_pending_jobs() == 1
    assert_waiting_for_retry(job_id, 1, refusal[:3])
    make_due(job_id)
    assert run_pending_jobs() == 1
    assert_waiting_for_retry(job_id, 2, refusal[:3])
    assert mail_server.messages == []
    mail_server.handler.refusal = None  # the server accepts again
    make_due(job_id)
    assert run_pending_jobs() == 1
    assert_sent_once(mail_server, job_id)


def test_a_mail_server_down_keeps_the_mail_until_it_is_back(app, mail_server):
    mail_server.stop()  # the port is closed: connections are refused
    job_id = queue_one()
    assert run_pending_jobs() == 1
    assert_waiting_for_retry(job_id, 1, "Connection refused")
    make_due(job_id)
    assert run_pending_jobs() == 1
    assert_waiting_for_retry(job_id, 2, "Connection refused")
    mail_server.start()
    make_due(job_id)
    assert run_pending_jobs() == 1
    assert_sent_once(mail_server, job_id)


def hand_over(engine, job_id: int) -> None:
    """Another worker takes the job back (its lock went stale), committed on its own
    connection."""
    with engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id).values(
            locked_by="other-worker", attempts=Job.attempts + 1))


def test_a_worker_whose_job_was_taken_back_sends_nothing(app, mail_server):
    job_id = queue_one()
    claimed = claim_next("slow-worker")
    hand_over(db.engine, job_id)  # while the slow worker was still on its way to the server
    assert run_job(claimed) is False
    assert mail_server.messages == []
    assert job(job_id).status == RUNNING and job(job_id).locked_by == "other-worker"
    # the new owner sends it, once
    assert run_job(job(job_id)) is True
    assert_sent_once(mail_server, job_id)


def test_a_mail_sent_again_after_its_job_end_was_lost_keeps_its_message_id(app, mail_server):
    """The server accepted the message, then the worker lost its job (it was taken back)
    before recording the end: the new owner sends it again, as the same message (same
    Message-ID), which mail clients and servers show once."""
    job_id = queue_one()
    engine = db.engine
    mail_server.handler.on_data = lambda: hand_over(engine, job_id)
    assert run_pending_jobs(worker_id="first-worker") == 1
    mail_server.handler.on_data = None
    assert job(job_id).status == RUNNING and job(job_id).locked_by == "other-worker"
    assert run_job(job(job_id)) is True
    first, second = mail_server.messages
    assert first["Message-ID"] == second["Message-ID"] == job(job_id).payload["message_id"]
    assert job(job_id).status == DONE
