"""Never lose an update: every flush that adds, changes or deletes a findable row (or a
row it depends on) adds `search.index` jobs to the same transaction.

The jobs commit or roll back with the change itself. Ids are known only after the flush,
so keys are collected in `after_flush` and the Job rows added in `after_flush_postexec`;
the commit flushes them too. A key is enqueued once per transaction.
"""
from __future__ import annotations

from flask import current_app
from flask_sqlalchemy.session import Session
from sqlalchemy import event

from workspace.core.jobs import PENDING, Job
from workspace.core.models import utcnow
from workspace.search.registry import affected, watched_models

_PENDING_KEY = "search_pending"
_SENT_KEY = "search_enqueued"
_listening = False


def listen() -> None:
    """Register the session events once per process (every app shares the class)."""
    global _listening
    if _listening:
        return
    event.listen(Session, "after_flush", _collect)
    event.listen(Session, "after_flush_postexec", _enqueue)
    event.listen(Session, "after_commit", _forget)
    event.listen(Session, "after_soft_rollback", _forget_after_rollback)
    _listening = True


def _changed(session, instance) -> bool:
    return session.is_modified(instance, include_collections=True)


def _collect(session, flush_context) -> None:
    models = watched_models()
    keys: set[tuple[str, int]] = session.info.setdefault(_PENDING_KEY, set())
    for instance in session.new | session.deleted:
        if isinstance(instance, models):
            keys.update(affected(instance))
    for instance in session.dirty:
        if isinstance(instance, models) and _changed(session, instance):
            keys.update(affected(instance, changed_only=True))


def _enqueue(session, flush_context) -> None:
    keys = session.info.pop(_PENDING_KEY, set())
    sent: set[tuple[str, int]] = session.info.setdefault(_SENT_KEY, set())
    attempts = current_app.config["JOBS_MAX_ATTEMPTS"]
    for kind, object_id in sorted(keys - sent):
        session.add(Job(kind="search.index", payload={"kind": kind, "id": object_id},
                        run_at=utcnow(), status=PENDING, attempts=0, max_attempts=attempts))
    sent.update(keys)


def _forget(session) -> None:
    session.info.pop(_SENT_KEY, None)
    session.info.pop(_PENDING_KEY, None)


def _forget_after_rollback(session, previous_transaction) -> None:
    # The jobs of the rolled-back (sub)transaction are gone: enqueue them again if the
    # rows change again. At worst an object is indexed twice, which is harmless.
    _forget(session)
