"""A far-behind index (worker stopped, bulk import): each search re-checks a bounded number
of lagging entries, counts the others nowhere and says so; a rebuild starts following the
change log where it read the database."""
from __future__ import annotations

from tests.conftest import text_of
from tests.search.conftest import index_now, post
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.search import cursor, lag
from workspace.search.changes import SearchChange
from workspace.search.indexer import index_dir, rebuild
from workspace.search.query import search


def _applied_long_ago() -> None:
    """The changes already applied fall out of the re-check's "a moment ago" window."""
    state = cursor.load_cursor(index_dir())
    state.marks = [(moment - 2 * cursor.RECENT, last, gaps)
                   for moment, last, gaps in state.marks]
    cursor.save_cursor(index_dir(), state)


def test_lagging_entries_are_found_by_kind_and_id(world):
    """Kinds are told apart: a post and a need may share an id; only the lagging one is."""
    first = post(world, "Chaudière du stade.", title="Stade")
    index_now()
    forums.delete_post(world.member, first)
    db.session.commit()
    keys = lag.lagging_keys()
    assert first.id in keys["post"]
    results = search(world.member, "chaudiere")
    assert results.total == 0 and results.uncounted == 0


def test_beyond_the_budget_lagging_matches_are_counted_nowhere(world, monkeypatch, client,
                                                                 login):
    """Five matching posts lag; two are re-checked (one kept, one deleted), three are left
    out of the total and the facets, and the page says the index is being updated."""
    monkeypatch.setattr(lag, "MAX_RECHECKED", 2)
    created = [post(world, f"Chaudière numéro {number}.", title=f"Sujet {number}")
               for number in range(6)]
    index_now()
    _applied_long_ago()
    for item in created[:5]:
        item.body = item.body + " Modifié."
    forums.delete_post(world.member, created[0])
    db.session.commit()  # the worker does not run: five entries lag, one of them deleted
    assert len(lag.lagging_keys()["post"]) == 5
    results = search(world.member, "chaudiere")
    assert results.uncounted == 3
    # the sixth post (up to date) and the one re-checked post still there
    assert results.total == 2
    assert sum(results.authors.values()) == 2 and sum(results.kinds.values()) == 2
    assert all(hit.doc.object_id != created[0].id for hit in results.hits)
    login(client, world.member)
    page = text_of(client.get("/search", query_string={"q": "chaudiere"}))
    assert "en cours de mise à jour" in page
    index_now()
    _applied_long_ago()
    caught_up = search(world.member, "chaudiere")
    assert caught_up.total == 5 and caught_up.uncounted == 0


def test_a_rebuild_follows_on_from_where_it_read_the_database(world):
    """The changes logged before a rebuild are in it: nothing lags after it, and the
    changes logged after it are the next ones the follower applies."""
    index_now()
    post(world, "Ventilation du gymnase.", title="Gymnase")
    assert lag.lagging_keys()["post"]
    rebuild()
    _applied_long_ago()
    newest = db.session.scalar(db.select(db.func.max(SearchChange.id)))
    assert cursor.load_cursor(index_dir()).last_id == newest
    assert lag.lagging_keys() == {}
    assert search(world.member, "ventilation").total == 1
    later = post(world, "Ventilation de la piscine.", title="Piscine")
    assert lag.lagging_keys() == {"post": {later.id}}


def test_a_new_schema_is_rebuilt_by_the_worker_by_itself(app, world):
    """An upgrade that changes the schema leaves `search/v<N-1>` and no (or an empty)
    `search/v<N>`: the first worker step rebuilds it, the next ones follow."""
    from workspace.core.jobs import run_worker_steps
    from workspace.search.indexer import SCHEMA_VERSION, older_indexes

    post(world, "Toiture de la médiathèque.", title="Médiathèque")
    index_now()
    current = index_dir()
    older = current.parent / f"v{SCHEMA_VERSION - 1}"
    current.rename(older)  # as if the index had been written by the previous release
    assert older_indexes() == [older]
    assert cursor.load_cursor(index_dir()) is None
    run_worker_steps()
    assert cursor.load_cursor(index_dir()) is not None
    _applied_long_ago()
    assert search(world.member, "toiture").total == 1
    assert search(world.member, "toiture").uncounted == 0
