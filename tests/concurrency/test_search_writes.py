"""Issue 6: 4 processes × 200 writes at once (forum topics, replies, edits, soft deletions,
needs created and deleted), each committed on its own as a request would, with a search
every ten writes, while 5 job workers follow the change log into the one shared Whoosh
index (one host's index: its workers share one cursor). Each writing process runs its
worker thread (as `flask serve` or a gunicorn worker would) and one more process runs
`flask worker`'s loop, so they compete for the index's write lock, and `flask search
rebuild` runs in the middle. Then every object is found by its own word, every deleted or
replaced word is gone, no job failed, nothing was logged as an error and `flask search
check` finds nothing missing or stale. On SQLite (a file) and on PostgreSQL when
reachable. About 2 minutes on a busy 2-core machine.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, update
from whoosh.query import Term

from config import TestingConfig
from tests.concurrency import search_load
from tests.conftest import require
from tests.databases import postgres_available, temporary_postgres_database
from workspace import create_app
from workspace.core.jobs import DONE, PENDING, Job, run_pending_jobs, run_worker_steps
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.search.indexer import check, open_index, rebuild
from workspace.search.query import search

PG_SERVER = os.environ.get("WORKSPACE_TEST_DATABASE_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
WRITERS, WORKERS = 4, 1


def test_writes_at_once_on_sqlite(tmp_path):
    _writes_at_once(f"sqlite:///{tmp_path / 'shared.sqlite'}", tmp_path)


@pytest.mark.postgres
def test_writes_at_once_on_postgresql(tmp_path):
    require(postgres_available(PG_SERVER), "PostgreSQL is not reachable on 127.0.0.1:5432")
    with temporary_postgres_database(PG_SERVER, prefix="tilt_search") as url:
        _writes_at_once(url, tmp_path)


def _writes_at_once(url: str, tmp_path) -> None:
    settings = {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": str(tmp_path / "data")}
    app = create_app(TestingConfig, **settings)
    with app.app_context():
        upgrade()
        db.engine.dispose()  # the migrations leave SQLite's foreign keys off on their connection
        ids = _people_and_places()
        outcomes = _run_processes(settings, ids)
        for (role, number), outcome in sorted(outcomes.items()):
            assert outcome.error is None, f"{role} {number} raised:\n{outcome.error}"
            # a job failed for good, or the worker loop caught an error (lock, database)
            assert outcome.logged_errors == [], f"{role} {number} logged errors"
        _drain()
        statuses = dict(db.session.execute(select(Job.status, func.count())
                                           .group_by(Job.status)).tuples().all())
        assert set(statuses) <= {DONE}, statuses  # none failed, none left running
        words = {w: found for outcome in outcomes.values() for w, found in outcome.words.items()}
        # out of 10 writes: 5 posts and 2 needs with a word each, 1 edit bringing a new word
        assert len(words) == WRITERS * search_load.WRITES * 8 // 10
        _assert_found_and_gone(ids["reader"], words)
        assert check() == ([], [])
        db.session.remove()
        db.engine.dispose()


def _people_and_places() -> dict:
    """A commune, a network with one member per writing process and one reader, a
    coordinator and a forum category."""
    from workspace.auth.models import User
    from workspace.communes.models import Organisation
    from workspace.forums import service as forums
    from workspace.networks.models import ROLE_COORDINATOR, ROLE_MEMBER, Membership, Network

    commune = Organisation(name="Coulaines", slug="coulaines")
    network = Network(name="Bâtiments", slug="batiments", is_private=True)
    db.session.add_all([commune, network])
    people = [User(email=f"tech{n}@example.org", first_name="Prénom", last_name=f"Nom{n}",
                   locale="fr", organisation=commune) for n in range(WRITERS + 2)]
    db.session.add_all(people)
    for user in people[:-1]:
        db.session.add(Membership(network=network, user=user, role=ROLE_MEMBER))
    db.session.add(Membership(network=network, user=people[-1], role=ROLE_COORDINATOR))
    db.session.flush()
    category = forums.save_category(people[-1], network, None, name="Chauffage")
    db.session.commit()
    return {"network": network.id, "category": category.id, "reader": people[WRITERS].id,
            "writers": [user.id for user in people[:WRITERS]]}


def _run_processes(settings: dict, ids: dict) -> dict:
    """Start the writers and the workers together; stop the workers once the writers are
    done; collect every process's outcome."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WRITERS + WORKERS + 1)
    stop, results = context.Event(), context.Queue()
    writers = [context.Process(target=search_load.write,
                               args=(number, settings, ids, barrier, results))
               for number in range(WRITERS)]
    workers = [context.Process(target=search_load.work_jobs,
                               args=(number, settings, barrier, stop, results))
               for number in range(WORKERS)]
    for process in writers + workers:
        process.start()
    outcomes = {}
    deadline = time.monotonic() + 600
    try:
        barrier.wait(timeout=180)
        _rebuild_meanwhile()
        while len(outcomes) < WRITERS:
            role, number, outcome = results.get(timeout=max(deadline - time.monotonic(), 1))
            outcomes[role, number] = outcome
        stop.set()
        while len(outcomes) < WRITERS + WORKERS:
            role, number, outcome = results.get(timeout=300)
            outcomes[role, number] = outcome
    except queue.Empty:
        pytest.fail(f"only {sorted(outcomes)} reported in time")
    finally:
        stop.set()
        for process in writers + workers:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
    assert [process.exitcode for process in writers + workers] == [0] * (WRITERS + WORKERS)
    return outcomes


def _rebuild_meanwhile() -> None:
    """`flask search rebuild` while the others write: it waits for the lock, and no change
    made during the rebuild is lost (the follower applies it after)."""
    time.sleep(5)
    assert rebuild() > 0
    db.session.remove()


def _drain() -> None:
    """Run what is left, retries included (their back-off would make the test wait), and
    follow the change log to its end."""
    from workspace.search.changes import SearchChange
    from workspace.search.cursor import load_cursor
    from workspace.search.indexer import index_dir

    for _ in range(20):
        db.session.execute(update(Job).where(Job.status == PENDING).values(run_at=utcnow()))
        db.session.commit()
        run_pending_jobs()
        run_worker_steps()
        newest = db.session.scalar(select(func.max(SearchChange.id))) or 0
        caught_up = load_cursor(index_dir()).last_id >= newest
        if caught_up and not db.session.scalar(select(func.count()).select_from(Job).where(
                Job.status == PENDING)):
            return
    pytest.fail("jobs still pending, or changes not applied, after draining")


def _assert_found_and_gone(reader_id: int, words: dict) -> None:
    """Through the search a member runs (ten words at a time: "w1 OR w2 ..."), then in the
    index itself: each word finds its object or nothing, each entry is there or not."""
    from workspace.auth.models import User

    reader = db.session.get(User, reader_id)
    findable = sorted(w for w, (_kind, _id, found) in words.items() if found)
    gone = sorted(w for w, (_kind, _id, found) in words.items() if not found)
    wrong = []
    for chunk in _chunks(findable, 10):
        results = search(reader, " OR ".join(chunk))
        expected = {words[w][:2] for w in chunk}
        found = {(hit.doc.kind, hit.doc.object_id) for hit in results.hits}
        if results.total != len(chunk) or found != expected:
            wrong.append((chunk, results.total, sorted(expected - found)))
    for chunk in _chunks(gone, 10):
        results = search(reader, " OR ".join(chunk))
        if results.total:  # counted in the index, before the re-check hides them
            wrong.append((chunk, results.total, results.hits))
    present = {words[w][:2] for w in findable}
    with open_index().searcher() as searcher:
        for word, (kind, object_id, found) in words.items():
            has_word = any(searcher.search(Term(field, word), limit=1)
                           for field in ("title", "text"))
            has_key = searcher.document_number(key=f"{kind}:{object_id}") is not None
            if has_word != found or has_key != ((kind, object_id) in present):
                wrong.append((word, kind, object_id, found, has_word, has_key))
    assert wrong == [], f"{len(wrong)} wrong, the first ones: {wrong[:5]}"


def _chunks(items: list, size: int):
    return (items[start:start + size] for start in range(0, len(items), size))
