"""The job queue: an outbox table written in the same transaction as the change that asks
for the work, and workers that claim jobs one at a time.

Several workers (threads or processes, on SQLite or PostgreSQL) may run at once: a job is
claimed by a conditional UPDATE (``status = 'pending'``) that only one of them can win.
Failed jobs are retried with exponential back-off, then kept as ``failed`` for the
administrators. Periodic work is enqueued with a de-duplication key per time slot, so that
two workers never enqueue the same slot twice.
"""
from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from sqlalchemy import JSON, Index, String, Text, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from workspace.core.models import utcnow
from workspace.core.registry import register_startup_check, registry
from workspace.extensions import db

log = logging.getLogger(__name__)

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_run_at", "status", "run_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    run_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=6)
    last_error: Mapped[str | None] = mapped_column(Text)
    locked_by: Mapped[str | None] = mapped_column(String(80))
    locked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)


Handler = Callable[..., Any]


class UnknownJobKind(LookupError):
    """A job kind no feature of this application registered a handler for."""


def register_job(app: Flask, kind: str, handler: Handler, *, with_claim: bool = False) -> None:
    """Register the function that performs jobs of this kind. It receives the payload, and
    with `with_claim` also the job's `Claim`: a handler whose effect leaves the database (an
    e-mail) checks the claim still holds just before it."""
    registry("job_handlers", app)[kind] = handler
    registry("job_handlers_with_claim", app)[kind] = with_claim


def handlers(app: Flask | None = None) -> dict[str, Handler]:
    return registry("job_handlers", app)


def enqueue(kind: str, payload: dict | None = None, *, run_at: datetime | None = None,
            dedup_key: str | None = None, max_attempts: int | None = None) -> Job:
    """Add a job to the current transaction; it runs once the transaction commits. A kind
    without handler is refused at once: it could only fail later, out of sight."""
    if kind not in handlers():
        raise UnknownJobKind(f"no handler registered for job kind {kind!r}")
    job = Job(kind=kind, payload=payload or {}, run_at=run_at or utcnow(), dedup_key=dedup_key,
              max_attempts=max_attempts or current_app.config["JOBS_MAX_ATTEMPTS"],
              status=PENDING, attempts=0)
    db.session.add(job)
    return job


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min ... capped at one hour, with a little jitter."""
    seconds = min(30 * 2 ** max(attempts - 1, 0), 3600)
    return timedelta(seconds=seconds * random.uniform(0.9, 1.1))


def _release_stale_jobs() -> None:
    limit = utcnow() - timedelta(seconds=current_app.config["JOBS_LOCK_TIMEOUT_SECONDS"])
    db.session.execute(update(Job).where(Job.status == RUNNING, Job.locked_at < limit)
                       .values(status=PENDING, locked_by=None, locked_at=None))
    db.session.commit()


def claim_next(worker_id: str, kinds: list[str] | None = None) -> Job | None:
    """Take the oldest due job; only one worker can win a given job."""
    now = utcnow()
    query = (select(Job.id).where(Job.status == PENDING, Job.run_at <= now)
             .order_by(Job.run_at, Job.id).limit(10))
    if kinds:
        query = query.where(Job.kind.in_(kinds))
    for job_id in db.session.scalars(query).all():
        result = db.session.execute(
            update(Job).where(Job.id == job_id, Job.status == PENDING)
            .values(status=RUNNING, locked_by=worker_id, locked_at=now,
                    attempts=Job.attempts + 1))
        db.session.commit()
        if result.rowcount == 1:
            return db.session.get(Job, job_id)
    return None


class LostClaim(RuntimeError):
    """The job was taken back (its lock had gone stale) and handed to another worker."""


def _mine(job_id: int, worker_id: str, attempt: int):
    """The claim is a fencing token: this worker, this attempt. A worker whose stale lock
    was handed to another finds no row and changes nothing."""
    return (Job.id == job_id, Job.status == RUNNING, Job.locked_by == worker_id,
            Job.attempts == attempt)


@dataclass(frozen=True)
class Claim:
    """A running job as its worker holds it (the fencing token), given to the handlers
    registered `with_claim`."""

    job_id: int
    worker_id: str
    attempt: int

    def holds(self) -> bool:
        """Is this job still ours (not taken back and handed to another worker)?"""
        found = db.session.scalar(select(Job.id).where(
            *_mine(self.job_id, self.worker_id, self.attempt)))
        return found is not None

    def check(self) -> None:
        """Raise `LostClaim` unless the job is still ours: call it just before an effect
        outside the database, which the rollback of a lost claim could not undo."""
        if not self.holds():
            raise LostClaim(f"job {self.job_id} was taken back from {self.worker_id}")


def still_claimed(job: Job) -> bool:
    """Before an effect outside the database (an e-mail): is this job still ours?"""
    return Claim(job.id, job.locked_by, job.attempts).holds()


def run_job(job: Job) -> bool:
    """Run one claimed job; record success, or schedule a retry, or mark it failed.

    The handler's changes and the job's end commit together, and only while the claim
    holds: a job taken back meanwhile is rolled back whole, so it is done exactly once."""
    job_id, worker_id, attempt, kind = job.id, job.locked_by, job.attempts, job.kind
    handler = handlers().get(kind)
    if handler is None:  # refused at start-up and at enqueue; a row written by hand
        return _finish_failed(job_id, worker_id, attempt,
                              f"no handler registered for job kind {kind!r}")
    try:
        if registry("job_handlers_with_claim").get(kind):
            handler(dict(job.payload or {}), Claim(job_id, worker_id, attempt))
        else:
            handler(dict(job.payload or {}))
        done = db.session.execute(update(Job).where(*_mine(job_id, worker_id, attempt)).values(
            status=DONE, finished_at=utcnow(), last_error=None, locked_by=None))
        if done.rowcount != 1:
            raise LostClaim(f"job {job_id} was taken back from {worker_id}")
        db.session.commit()
        return True
    except LostClaim:
        db.session.rollback()
        log.warning("job %s (%s): claim lost, its work is left to the new owner", job_id, kind)
        return False
    except Exception:  # noqa: BLE001 - any failure of a job is recorded, never lost
        db.session.rollback()
        return _record_failure(job_id, worker_id, attempt, traceback.format_exc(limit=8))


def _record_failure(job_id: int, worker_id: str, attempt: int, error: str) -> bool:
    error = error[-4000:]
    job = db.session.get(Job, job_id)
    if job is None or job.locked_by != worker_id or job.attempts != attempt:
        db.session.rollback()
        return False  # taken back meanwhile: the new owner records its own outcome
    job.last_error = error
    job.locked_by = job.locked_at = None
    if job.attempts >= job.max_attempts:
        job.status, job.finished_at = FAILED, utcnow()
        log.error("job %s (%s) failed for good: %s", job.id, job.kind, error)
    else:
        job.status, job.run_at = PENDING, utcnow() + backoff(job.attempts)
        log.warning("job %s (%s) failed, retry at %s", job.id, job.kind, job.run_at)
    db.session.commit()
    return False


def _finish_failed(job_id: int, worker_id: str, attempt: int, error: str) -> bool:
    """Fail at once, without retries: retrying cannot bring a missing handler."""
    db.session.execute(update(Job).where(*_mine(job_id, worker_id, attempt)).values(
        status=FAILED, finished_at=utcnow(), last_error=error, locked_by=None, locked_at=None))
    db.session.commit()
    log.error("job %s failed: %s", job_id, error)
    return False


def run_pending_jobs(worker_id: str | None = None, max_jobs: int | None = None,
                     kinds: list[str] | None = None) -> int:
    """Run due jobs until none is left (or max_jobs); return how many ran."""
    worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    count = 0
    while max_jobs is None or count < max_jobs:
        job = claim_next(worker_id, kinds)
        if job is None:
            break
        run_job(job)
        count += 1
    return count


def retry_job(job: Job) -> None:
    job.status, job.run_at, job.attempts = PENDING, utcnow(), 0
    job.finished_at = job.locked_at = job.locked_by = None


# --- periodic work ---------------------------------------------------------------------

@dataclass(frozen=True)
class Periodic:
    name: str
    kind: str
    every: timedelta | None = None
    daily_at: str | None = None  # "HH:MM", Europe/Paris

    def current_slot(self, now: datetime) -> str | None:
        if self.every:
            seconds = int(self.every.total_seconds())
            return str(int(now.timestamp()) // seconds)
        local = now.astimezone(ZoneInfo("Europe/Paris"))
        hour, minute = (int(part) for part in self.daily_at.split(":"))
        if (local.hour, local.minute) < (hour, minute):
            return None  # today's time has not come yet; yesterday's slot is past
        return local.date().isoformat()


def register_periodic(app: Flask, name: str, kind: str, *, every: timedelta | None = None,
                      daily_at: str | None = None) -> None:
    """Declare work to enqueue every interval, or once a day at a Paris time."""
    registry("periodic_jobs", app)[name] = Periodic(name, kind, every, daily_at)


def periodic_tasks(app: Flask | None = None) -> dict[str, Periodic]:
    return registry("periodic_jobs", app)


def enqueue_due_periodic(now: datetime | None = None) -> int:
    """Enqueue each periodic task whose current slot has no job yet; return how many."""
    now = now or utcnow()
    added = 0
    for task in periodic_tasks().values():
        slot = task.current_slot(now)
        if slot is None:
            continue
        key = f"periodic:{task.name}:{slot}"
        if db.session.scalar(select(Job.id).where(Job.dedup_key == key)):
            continue
        try:
            enqueue(task.kind, {"slot": slot}, dedup_key=key)
            db.session.commit()
            added += 1
        except IntegrityError:
            db.session.rollback()  # another worker enqueued this slot first
    return added


def purge_finished_jobs(payload: dict) -> None:
    limit = utcnow() - timedelta(days=14)
    db.session.execute(delete(Job).where(Job.status == DONE, Job.finished_at < limit))


def queued_kinds_without_handler(app: Flask) -> list[str]:
    """Start-up check: every kind waiting in the queue has a handler in this application."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        kinds = set(db.session.scalars(select(Job.kind).where(
            Job.status.in_((PENDING, RUNNING))).distinct()))
    except (OperationalError, ProgrammingError):  # no jobs table yet: before `db upgrade`
        db.session.rollback()
        return []
    missing = sorted(kinds - set(handlers(app)))
    return [f"queued jobs of kind {kind!r} have no handler (a feature is missing or was "
            "not initialised)" for kind in missing]


def init_jobs(app: Flask) -> None:
    register_job(app, "jobs.purge", purge_finished_jobs)
    register_periodic(app, "jobs.purge", "jobs.purge", daily_at="03:30")
    register_startup_check(app, "jobs", queued_kinds_without_handler)


# --- the worker loop -------------------------------------------------------------------

def register_worker_start(app: Flask, name: str, task: Callable[[], None]) -> None:
    """`task()` runs once in each worker, in the app context, before its first job: what
    stored data needs after an upgrade (say, enqueue the rebuild of a new index schema)."""
    registry("worker_start", app)[name] = task


def _run_worker_start(app: Flask) -> None:
    for name, task in registry("worker_start", app).items():
        try:
            task()
            db.session.commit()
        except IntegrityError:  # another worker enqueued the same job a moment before
            db.session.rollback()
        except Exception:
            db.session.rollback()
            log.exception("worker start task %s failed", name)


def register_worker_step(app: Flask, name: str, step: Callable[[], int]) -> None:
    """`step()` runs in every worker loop, in the app context, after the jobs: work that
    belongs to this host rather than to the shared queue (say, bringing this host's search
    index up to date). It returns how much it did (0: nothing, the worker may wait)."""
    registry("worker_steps", app)[name] = step


def run_worker_steps(app: Flask | None = None) -> int:
    """Each registered step once; what `work()` does after the jobs (tests call it too)."""
    done = 0
    for name, step in registry("worker_steps", app).items():
        try:
            done += step() or 0
        except Exception:
            db.session.rollback()
            log.exception("worker step %s failed", name)
    return done


def work_once(worker_id: str | None = None) -> int:
    """What one turn of a worker loop does besides its periodic checks: the pending jobs,
    then the steps. For tests and commands that must see the worker's effects now."""
    return run_pending_jobs(worker_id) + run_worker_steps()


PERIODIC_CHECK_SECONDS = 15


def work(app: Flask, stop: threading.Event, poll: float | None = None,
         worker_id: str | None = None) -> None:
    """Run jobs until `stop` is set; used by `flask worker` and the thread of `flask serve`."""
    poll = poll if poll is not None else app.config["JOBS_POLL_SECONDS"]
    worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    last_stale_check = last_periodic_check = 0.0
    # stale locks are looked for at least twice per lock timeout (a short one in tests)
    stale_every = min(60.0, app.config["JOBS_LOCK_TIMEOUT_SECONDS"] / 2)
    with app.app_context():
        _run_worker_start(app)
        db.session.remove()
    while not stop.is_set():
        ran = 0
        try:
            with app.app_context():
                if time.monotonic() - last_stale_check > stale_every:
                    _release_stale_jobs()
                    last_stale_check = time.monotonic()
                # periodic slots are hours or days long: look for due ones now and then,
                # not at every poll (one query per task)
                if time.monotonic() - last_periodic_check > PERIODIC_CHECK_SECONDS:
                    enqueue_due_periodic()
                    last_periodic_check = time.monotonic()
                ran = run_pending_jobs(worker_id, max_jobs=50)
                ran += run_worker_steps(app)
                db.session.remove()
        except Exception:
            log.exception("worker loop error")
        if not ran:
            stop.wait(poll)


def start_worker_thread(app: Flask) -> threading.Thread:
    stop = threading.Event()
    thread = threading.Thread(target=work, args=(app, stop), name="jobs-worker", daemon=True)
    thread.stop_event = stop  # type: ignore[attr-defined]
    thread.start()
    return thread
