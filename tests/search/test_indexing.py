"""The outbox: change rows in the same transaction, once per object; the follower waits
while the index is locked, and loses nothing."""
from __future__ import annotations

from sqlalchemy import select
from whoosh import index

from tests.search.conftest import index_now, meeting, post
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.meetings import service as meetings
from workspace.search.changes import SearchChange
from workspace.search.cursor import load_cursor
from workspace.search.follower import follow
from workspace.search.indexer import index_dir, indexed_entries, open_index
from workspace.search.query import search


def _logged(after: int = 0) -> list[tuple[str, int]]:
    return [tuple(row) for row in db.session.execute(
        select(SearchChange.kind, SearchChange.object_id).where(SearchChange.id > after)
        .order_by(SearchChange.id))]


def test_a_change_logs_one_row_per_object_and_a_rollback_none(world):
    index_now()  # the follower's first step: the index and its cursor
    created = meeting(world, title="Réunion", agenda=["Chauffage", "Éclairage"])
    last = load_cursor(index_dir()).last_id
    assert _logged(last) == [("meeting", created.id)]  # the agenda items are the meeting's
    index_now()
    last = load_cursor(index_dir()).last_id
    meetings.save_minutes(world.member, created, "Le relamping avance.")
    db.session.flush()
    meetings.save_minutes(world.member, created, "Le relamping avance bien.")
    db.session.rollback()
    assert _logged(last) == []
    assert search(world.member, "relamping").total == 0


def test_a_locked_index_makes_the_follower_wait_and_lose_nothing(world):
    index_now()
    created = post(world, "Ventilation double flux.", title="VMC")
    before = load_cursor(index_dir())
    writer = open_index().writer()  # another worker of this host holds the lock
    try:
        assert follow() == 0
        assert load_cursor(index_dir()) == before
    finally:
        writer.cancel()
    assert follow() >= 1
    assert load_cursor(index_dir()).last_id > before.last_id
    assert f"post:{created.id}" in indexed_entries(open_index())
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
