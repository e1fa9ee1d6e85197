"""A far-behind index (worker stopped, bulk import): each search re-checks a bounded number
of lagging entries, counts the others nowhere and says so; a rebuild settles the jobs it
makes useless."""
from __future__ import annotations

from tests.conftest import text_of
from tests.search.conftest import index_now, post
from workspace.core.jobs import DONE, FAILED, PENDING, Job, enqueue
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.search import lag
from workspace.search.indexer import rebuild
from workspace.search.query import search


def _index_jobs(status: str) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Job).where(
        Job.kind == "search.index", Job.status == status))


def _applied_long_ago() -> None:
    """The jobs already applied fall out of the re-check's "a moment ago" window."""
    db.session.execute(db.update(Job).where(Job.status == DONE).values(
        finished_at=utcnow() - 2 * lag.RECENT))
    db.session.commit()


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
    assert _index_jobs(PENDING) >= 5
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


def test_a_rebuild_settles_the_index_jobs_it_makes_useless(world):
    """Pending and failed `search.index` jobs waiting when the rebuild starts are done after
    it (the rebuild read the database after them); other kinds are left alone."""
    post(world, "Ventilation du gymnase.", title="Gymnase")
    failed = enqueue("search.index", {"kind": "post", "id": 999_999})
    failed.status = FAILED
    other = enqueue("documents.sweep", {})
    db.session.commit()
    assert _index_jobs(PENDING) >= 1
    rebuild()
    assert _index_jobs(PENDING) == 0 and _index_jobs(FAILED) == 0
    assert db.session.get(Job, failed.id).status == DONE
    assert db.session.get(Job, other.id).status == PENDING
    assert search(world.member, "ventilation").total == 1


def test_a_new_schema_is_rebuilt_by_the_worker_by_itself(app, world):
    """An upgrade that changes the schema leaves `search/v<N-1>` and no (or an empty)
    `search/v<N>`: the first worker to start enqueues one rebuild, which fills it."""
    import threading

    from workspace.core.jobs import work
    from workspace.search.indexer import SCHEMA_VERSION, index_dir, older_indexes

    post(world, "Toiture de la médiathèque.", title="Médiathèque")
    index_now()
    current = index_dir()
    older = current.parent / f"v{SCHEMA_VERSION - 1}"
    current.rename(older)  # as if the index had been written by the previous release
    assert older_indexes() == [older]
    assert search(world.member, "toiture").total == 0  # opens an empty new index
    for _ in range(2):  # two workers start: one rebuild only
        stop = threading.Event()
        stop.set()
        work(app, stop)
    rebuilds = list(db.session.scalars(db.select(Job).where(Job.kind == "search.rebuild")))
    assert len(rebuilds) == 1
    index_now()
    assert db.session.get(Job, rebuilds[0].id).status == DONE
    assert search(world.member, "toiture").total == 1
