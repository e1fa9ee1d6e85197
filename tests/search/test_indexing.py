"""The outbox: jobs in the same transaction, once per object; the single writer retries
when the index is locked."""
from __future__ import annotations

from sqlalchemy import select
from whoosh import index

from tests.search.conftest import index_now, meeting, post
from workspace.core.jobs import PENDING, Job
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.meetings import service as meetings
from workspace.search.indexer import open_index
from workspace.search.query import search


def _index_jobs() -> list[dict]:
    return [job.payload for job in db.session.scalars(
        select(Job).where(Job.kind == "search.index", Job.status == PENDING))]


def test_a_change_enqueues_one_job_per_object_and_a_rollback_none(world):
    created = meeting(world, title="Réunion", agenda=["Chauffage", "Éclairage"])
    assert _index_jobs() == [{"kind": "meeting", "id": created.id}]
    index_now()
    meetings.save_minutes(world.member, created, "Le relamping avance.")
    db.session.flush()
    meetings.save_minutes(world.member, created, "Le relamping avance bien.")
    db.session.rollback()
    assert _index_jobs() == []
    assert search(world.member, "relamping").total == 0


def test_a_locked_index_makes_the_job_wait_not_fail(world):
    post(world, "Ventilation double flux.", title="VMC")
    writer = open_index().writer()  # someone else holds the lock
    try:
        index_now()
        job = db.session.scalar(select(Job).where(Job.kind == "search.index"))
        assert job.status == PENDING and "IndexBusy" in job.last_error
    finally:
        writer.cancel()
    db.session.execute(db.update(Job).values(run_at=Job.created_at))
    db.session.commit()
    index_now()
    assert search(world.member, "ventilation").total == 1


def test_an_edited_post_is_found_by_its_new_words_only(world):
    created = post(world, "Ventilation double flux.", title="VMC")
    index_now()
    forums.edit_post(world.member, created, "Chaudière à condensation.", created.revision)
    db.session.commit()
    index_now()
    assert search(world.member, "chaudiere").total == 1
    assert search(world.member, "ventilation").total == 0


def test_a_process_that_saw_no_index_does_not_wipe_the_one_just_created(world, monkeypatch):
    """Two processes start on an empty DATA_DIR: the second one looked before the first
    created the index and indexed a post; creating it again would erase that post."""
    post(world, "Ventilation double flux.", title="VMC")
    index_now()
    really_exists, looked = index.exists_in, []

    def exists_in(*args, **kwargs):
        looked.append(True)
        return len(looked) > 1 and really_exists(*args, **kwargs)

    monkeypatch.setattr(index, "exists_in", exists_in)
    open_index()
    assert search(world.member, "ventilation").total == 1
