"""Each host's index follows the change log from a cursor of its own: late commits (gaps)
are not skipped, a host that was down catches up, a new host starts from a rebuild, and a
rebuild can be asked of every host."""
from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, insert, select
from whoosh.writing import CLEAR

from config import TestingConfig
from tests.search.conftest import index_now, post
from workspace import create_app
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.search import changes
from workspace.search.changes import SearchChange
from workspace.search.cursor import load_cursor, save_cursor
from workspace.search.follower import follow
from workspace.search.indexer import check, index_dir, indexed_entries, open_index


def _entries() -> set[str]:
    return set(indexed_entries(open_index()))


def _unlogged(*created) -> None:
    """Remove the change rows of these posts: only a rebuild can now index them."""
    db.session.execute(delete(SearchChange).where(SearchChange.kind == "post",
                                                  SearchChange.object_id.in_(
                                                      [item.id for item in created])))
    db.session.commit()


def _log(change_id: int, kind: str, object_id: int) -> None:
    """A change row with a chosen id: as a transaction that took it and commits now."""
    db.session.execute(insert(SearchChange).values(id=change_id, kind=kind,
                                                   object_id=object_id, created_at=utcnow()))
    db.session.commit()


def test_a_change_committed_after_a_later_one_is_not_skipped(world):
    """Ids are taken when a transaction writes and seen when it commits: the follower
    passes the missing id, keeps it as a gap and applies it when it appears."""
    index_now()
    first = post(world, "Chaudière du gymnase.", title="Gymnase")
    second = post(world, "Chaudière de la piscine.", title="Piscine")
    _unlogged(first, second)
    base = load_cursor(index_dir()).last_id
    before = set(load_cursor(index_dir()).gaps)
    _log(base + 2, "post", second.id)  # the later transaction commits first
    assert follow() == 1
    state = load_cursor(index_dir())
    assert state.last_id == base + 2 and set(state.gaps) - before == {base + 1}
    assert f"post:{second.id}" in _entries() and f"post:{first.id}" not in _entries()
    _log(base + 1, "post", first.id)  # the earlier one commits at last
    assert follow() == 1
    state = load_cursor(index_dir())
    assert state.last_id == base + 2 and set(state.gaps) <= before
    assert f"post:{first.id}" in _entries()


def test_a_gap_that_never_fills_is_forgotten_after_the_wait(app, world):
    """A rolled-back transaction's id never appears: after SEARCH_GAP_WAIT_SECONDS the
    follower stops looking for it."""
    index_now()
    created = post(world, "Chaudière du gymnase.", title="Gymnase")
    _unlogged(created)
    base = load_cursor(index_dir()).last_id
    before = set(load_cursor(index_dir()).gaps)
    _log(base + 3, "post", created.id)
    follow()
    assert set(load_cursor(index_dir()).gaps) - before == {base + 1, base + 2}
    state = load_cursor(index_dir())
    state.gaps = {gap: since - app.config["SEARCH_GAP_WAIT_SECONDS"] - 1
                  for gap, since in state.gaps.items()}
    save_cursor(index_dir(), state)
    later = post(world, "Toiture de la mairie.", title="Mairie")
    _unlogged(later)
    _log(base + 4, "post", later.id)
    follow()
    assert load_cursor(index_dir()).gaps == {}
    assert f"post:{later.id}" in _entries()


def test_a_rebuild_row_rebuilds_the_index_of_each_host(world):
    """After a restore every host rebuilds: what was never logged is then found."""
    index_now()
    hidden = post(world, "Chaudière du gymnase.", title="Gymnase")
    _unlogged(hidden)
    follow()
    assert f"post:{hidden.id}" not in _entries()
    changes.request_rebuild_everywhere()
    db.session.commit()
    assert follow() >= 1
    assert f"post:{hidden.id}" in _entries()
    assert check() == ([], [])
    assert follow() == 0  # the rebuild started after that row: it is not done twice


def test_a_cursor_older_than_the_kept_log_rebuilds(world):
    index_now()
    hidden = post(world, "Chaudière du gymnase.", title="Gymnase")
    _unlogged(hidden)
    state = load_cursor(index_dir())
    state.followed_at = time.time() - 8 * 86400  # the log is kept 7 days
    save_cursor(index_dir(), state)
    follow()
    assert f"post:{hidden.id}" in _entries()
    assert load_cursor(index_dir()).followed_at > time.time() - 60


def test_a_log_behind_the_cursor_rebuilds(world):
    """Another database (or a restored one) whose log ends before this host's cursor: the
    idle follower notices within a minute and rebuilds."""
    index_now()
    post(world, "Toiture de la mairie.", title="Mairie")
    hidden = post(world, "Chaudière du gymnase.", title="Gymnase")
    _unlogged(hidden)
    state = load_cursor(index_dir())
    state.last_id += 1000
    state.followed_at -= 120  # the idle check runs once a minute
    save_cursor(index_dir(), state)
    follow()
    assert f"post:{hidden.id}" in _entries()


def test_the_log_emptied_by_the_purge_leaves_no_gap_behind(world):
    """The cursor starts from the sequence, not from the largest id present: with every
    row purged, the next change does not look like thousands of missing ones (at most the
    ids before the rebuild are looked for, GAP_SCAN of them)."""
    index_now()
    for n in range(5):
        post(world, f"Sujet {n}.", title=f"Sujet {n}")
    index_now()
    db.session.execute(delete(SearchChange))
    db.session.commit()
    (Path(index_dir()) / "follower.json").unlink()
    open_index().writer().commit(mergetype=CLEAR)  # an empty index: the next step rebuilds
    follow()
    rebuilt = load_cursor(index_dir()).last_id
    assert rebuilt >= 5
    later = post(world, "Toiture de la mairie.", title="Mairie")
    follow()
    state = load_cursor(index_dir())
    assert state.last_id > rebuilt and all(gap <= rebuilt for gap in state.gaps)
    assert f"post:{later.id}" in _entries()


def test_old_changes_are_purged(world):
    index_now()
    kept = post(world, "Chaudière du gymnase.", title="Gymnase")
    db.session.execute(insert(SearchChange).values(kind="post", object_id=999_999,
                                                   created_at=utcnow() - timedelta(days=8)))
    db.session.commit()
    assert changes.purge_changes() == 1
    remaining = db.session.scalars(select(SearchChange.object_id)).all()
    assert kept.id in remaining and 999_999 not in remaining


@pytest.fixture
def second_host(app_config, tmp_path):
    """Another application on the same database, with a data folder of its own (its own
    index and cursor), as a second server would be."""
    other = create_app(TestingConfig, **{**app_config, "DATA_DIR": str(tmp_path / "host2")})
    yield other
    with other.app_context():
        db.engine.dispose()


def _on(host, action):
    with host.app_context():
        try:
            return action()
        finally:
            db.session.remove()


def test_two_hosts_follow_the_log_each_at_its_own_pace(world, second_host):
    index_now()  # host 1
    _on(second_host, follow)  # host 2 starts: an empty index, so a rebuild
    first = post(world, "Chaudière du gymnase.", title="Gymnase")
    index_now()
    assert f"post:{first.id}" in _entries()
    assert f"post:{first.id}" not in _on(second_host, _entries)  # host 2 has not followed
    _on(second_host, follow)
    assert f"post:{first.id}" in _on(second_host, _entries)

    # host 2 is down while changes go on; host 1 follows them as they come
    later = [post(world, f"Toiture numéro {n}.", title=f"Toiture {n}") for n in range(3)]
    forums.delete_post(world.member, first)
    db.session.commit()
    index_now()
    assert f"post:{first.id}" not in _entries()
    behind = _on(second_host, _entries)
    assert f"post:{first.id}" in behind and f"post:{later[0].id}" not in behind
    _on(second_host, follow)  # back up: it catches up from its cursor
    caught_up = _on(second_host, _entries)
    assert f"post:{first.id}" not in caught_up
    assert {f"post:{item.id}" for item in later} <= caught_up
    assert _on(second_host, check) == ([], [])
    assert check() == ([], [])


def test_a_new_host_starts_from_a_rebuild_then_follows(world, second_host):
    index_now()
    created = [post(world, f"Chaudière numéro {n}.", title=f"Sujet {n}") for n in range(3)]
    index_now()
    _on(second_host, follow)  # no cursor, empty index: the whole database
    assert _on(second_host, check) == ([], [])
    newest = db.session.scalar(select(func.max(SearchChange.id)))
    assert _on(second_host, lambda: load_cursor(index_dir()).last_id) == newest
    forums.delete_post(world.member, created[0])
    db.session.commit()
    _on(second_host, follow)
    assert f"post:{created[0].id}" not in _on(second_host, _entries)
