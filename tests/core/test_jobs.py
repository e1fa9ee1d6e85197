"""The job queue: one claim per job, retries with back-off, failures kept, periodic slots."""
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from workspace.core import jobs
from workspace.core.jobs import (
    DONE,
    FAILED,
    PENDING,
    Job,
    enqueue,
    enqueue_due_periodic,
    periodic_tasks,
    register_job,
    register_periodic,
    run_pending_jobs,
)
from workspace.extensions import db

calls: list = []


def _record(payload):
    calls.append(payload["n"])


def _fail(payload):
    raise RuntimeError("boom: SMTP server unreachable")


@pytest.fixture(autouse=True)
def test_handlers(app):
    """The handlers of these tests, registered with the test's application only."""
    register_job(app, "test.record", _record)
    register_job(app, "test.fail", _fail)


def test_job_runs_only_after_commit_and_once(app):
    calls.clear()
    enqueue("test.record", {"n": 1})
    db.session.rollback()  # the change was abandoned: so is its job
    assert run_pending_jobs() == 0
    enqueue("test.record", {"n": 2})
    db.session.commit()
    assert run_pending_jobs() == 1
    assert run_pending_jobs() == 0
    assert calls == [2]
    assert db.session.scalar(select(Job.status)) == DONE


def test_failed_job_is_retried_with_backoff_then_kept_as_failed(app):
    job = enqueue("test.fail", {}, max_attempts=3)
    db.session.commit()
    job_id = job.id
    run_pending_jobs()
    job = db.session.get(Job, job_id)
    assert job.status == PENDING and job.attempts == 1
    assert "boom" in job.last_error
    assert job.run_at > datetime.now(UTC) + timedelta(seconds=20)
    for _ in range(2):
        job.run_at = datetime.now(UTC)
        db.session.commit()
        run_pending_jobs()
        job = db.session.get(Job, job_id)
    assert job.status == FAILED and job.attempts == 3
    assert run_pending_jobs() == 0


def test_backoff_grows_and_is_capped():
    assert timedelta(seconds=25) < jobs.backoff(1) < timedelta(seconds=35)
    assert jobs.backoff(3) > jobs.backoff(2)
    assert jobs.backoff(30) <= timedelta(seconds=3960)


def test_concurrent_workers_never_take_the_same_job(app):
    calls.clear()
    for n in range(60):
        enqueue("test.record", {"n": n})
    db.session.commit()
    errors = []

    def worker(index):
        try:
            with app.app_context():
                run_pending_jobs(worker_id=f"w{index}")
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(calls) == list(range(60))
    assert db.session.scalar(select(func.count()).where(Job.status == DONE)) == 60


def test_periodic_work_is_enqueued_once_per_slot(app):
    register_periodic(app, "test.every-hour", "test.record", every=timedelta(hours=1))
    try:
        now = datetime(2026, 3, 26, 10, 0, tzinfo=UTC)
        enqueue_due_periodic(now)
        enqueue_due_periodic(now + timedelta(minutes=5))
        keys = db.session.scalars(select(Job.dedup_key).where(
            Job.dedup_key.like("periodic:test.every-hour:%"))).all()
        assert len(keys) == 1
        enqueue_due_periodic(now + timedelta(hours=1))
        assert db.session.scalar(select(func.count()).where(
            Job.dedup_key.like("periodic:test.every-hour:%"))) == 2
    finally:
        periodic_tasks(app).pop("test.every-hour")


def test_daily_task_waits_for_its_paris_time():
    task = jobs.Periodic("digest", "x", daily_at="07:00")
    # 05:30 UTC in summer is 07:30 in Paris: due; 04:30 UTC is 06:30: not yet
    assert task.current_slot(datetime(2026, 7, 1, 5, 30, tzinfo=UTC)) == "2026-07-01"
    assert task.current_slot(datetime(2026, 7, 1, 4, 30, tzinfo=UTC)) is None


def test_stale_running_job_is_taken_back(app):
    job = enqueue("test.record", {"n": 99})
    job.status, job.locked_by = jobs.RUNNING, "dead-worker"
    job.locked_at = datetime.now(UTC) - timedelta(hours=1)
    db.session.commit()
    jobs._release_stale_jobs()
    assert db.session.get(Job, job.id).status == PENDING


def test_worker_thread_runs_jobs_and_stops(app):
    calls.clear()
    enqueue("test.record", {"n": 7})
    db.session.commit()
    app.config["JOBS_POLL_SECONDS"] = 0.05
    thread = jobs.start_worker_thread(app)
    for _ in range(100):
        if calls:
            break
        threading.Event().wait(0.05)
    thread.stop_event.set()
    thread.join(timeout=5)
    assert calls == [7]
    assert not thread.is_alive()


# --- fencing, unknown kinds, start-up check ----------------------------------------------

def _taken_back(payload):
    """While this worker runs the job, its stale lock is handed to another worker."""
    job = db.session.scalar(select(Job).where(Job.kind == "test.taken-back"))
    with db.engine.begin() as connection:  # the other worker's claim, committed
        connection.execute(update(Job).where(Job.id == job.id).values(
            locked_by="other-worker", attempts=Job.attempts + 1))
    calls.append("first worker's effect")
    db.session.add(Job(kind="test.record", payload={"n": 99}, status=PENDING, attempts=0,
                       max_attempts=1))


def test_a_job_taken_back_is_not_marked_done_by_its_first_worker(app):
    """The claim is a fencing token: the first worker's work is rolled back whole."""
    calls.clear()
    register_job(app, "test.taken-back", _taken_back)
    enqueue("test.taken-back", {})
    db.session.commit()
    assert run_pending_jobs(worker_id="first-worker", kinds=["test.taken-back"]) == 1
    db.session.expire_all()
    job = db.session.scalar(select(Job).where(Job.kind == "test.taken-back"))
    assert job.status == jobs.RUNNING and job.locked_by == "other-worker"
    assert job.attempts == 2
    # what the handler wrote in the database went away with the lost claim
    assert db.session.scalar(select(func.count()).where(Job.kind == "test.record")) == 0


def test_a_kind_without_handler_is_refused_when_enqueued(app):
    with pytest.raises(jobs.UnknownJobKind):
        enqueue("test.nobody-handles-this", {})


def test_a_queued_job_without_handler_fails_at_once_without_retries(app):
    db.session.add(Job(kind="test.gone-feature", payload={}, status=PENDING, attempts=0,
                       max_attempts=6))
    db.session.commit()
    assert run_pending_jobs() == 1
    job = db.session.scalar(select(Job).where(Job.kind == "test.gone-feature"))
    assert job.status == FAILED and job.attempts == 1
    assert "no handler registered" in job.last_error


def test_start_up_is_refused_while_queued_jobs_have_no_handler(app):
    from workspace.core.registry import StartupError, run_startup_checks

    run_startup_checks(app)  # nothing queued: fine
    db.session.add(Job(kind="test.gone-feature", payload={}, status=PENDING, attempts=0,
                       max_attempts=6))
    db.session.commit()
    with pytest.raises(StartupError, match="test.gone-feature"):
        run_startup_checks(app)
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code != 0
    assert "test.gone-feature" in result.output and "no handler" in result.output


def test_each_application_has_its_own_handlers(app, app_config):
    from config import TestingConfig
    from workspace import create_app

    other = create_app(TestingConfig, **app_config)
    assert "test.record" in jobs.handlers(app)
    assert "test.record" not in jobs.handlers(other)
    assert "mail.send" in jobs.handlers(other)
