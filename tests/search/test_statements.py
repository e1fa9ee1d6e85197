"""Any write to an indexed table reaches the index, whatever API made it: the ORM's flush,
an UPDATE or DELETE statement through the session, or a statement on a bare connection."""
from __future__ import annotations

from sqlalchemy import delete, insert, select, update

from tests.search.conftest import index_now, post
from workspace.extensions import db
from workspace.forums.models import Post, Topic
from workspace.search.changes import SearchChange
from workspace.search.cursor import load_cursor
from workspace.search.indexer import index_dir
from workspace.search.query import search


def index_fresh() -> None:
    """The worker runs in its own process: it reads the rows as committed, not the test
    session's copies (which a statement with synchronize_session=False leaves stale)."""
    db.session.expire_all()
    index_now()


def _logged() -> set[tuple[str, int]]:
    """The changes logged after this host's cursor: not applied yet."""
    state = load_cursor(index_dir())
    return {tuple(row) for row in db.session.execute(
        select(SearchChange.kind, SearchChange.object_id).where(
            SearchChange.id > (state.last_id if state else 0)))}


def test_an_update_statement_through_the_session_is_indexed(world):
    created = post(world, "Ventilation double flux.", title="VMC")
    index_now()
    db.session.execute(update(Post).where(Post.id == created.id)
                       .values(body="Chaudière à condensation.",
                               body_html="<p>Chaudière à condensation.</p>")
                       .execution_options(synchronize_session=False))
    assert _logged() == {("post", created.id)}
    db.session.commit()
    index_fresh()
    assert search(world.member, "chaudiere").total == 1
    assert search(world.member, "ventilation").total == 0


def test_a_statement_on_a_bare_connection_is_indexed_in_its_transaction(world):
    created = post(world, "Ventilation double flux.", title="VMC")
    index_now()
    with db.engine.begin() as connection:
        connection.execute(update(Post).where(Post.id == created.id).values(
            body="Pompe à chaleur.", body_html="<p>Pompe à chaleur.</p>"))
    index_fresh()
    assert search(world.member, "pompe").total == 1
    with db.engine.connect() as connection:  # rolled back: no job, nothing changes
        connection.execute(update(Post).where(Post.id == created.id).values(
            body="Géothermie.", body_html="<p>Géothermie.</p>"))
        connection.rollback()
    assert _logged() == set()


def test_a_change_of_a_row_others_depend_on_reindexes_them(world):
    created = post(world, "Ventilation double flux.", title="VMC")
    index_now()
    db.session.execute(update(Topic).where(Topic.id == created.topic_id)
                       .values(title="Renouvellement d'air")
                       .execution_options(synchronize_session=False))
    assert ("post", created.id) in _logged()
    db.session.commit()
    index_fresh()
    assert search(world.member, "renouvellement").total == 1


def test_a_column_nobody_indexes_enqueues_nothing(world):
    created = post(world, "Ventilation double flux.", title="VMC")
    index_now()
    db.session.execute(update(Post).where(Post.id == created.id).values(revision=7)
                       .execution_options(synchronize_session=False))
    assert _logged() == set()


def test_a_delete_statement_removes_the_entry(world):
    created = post(world, "Ventilation double flux.", title="VMC")
    index_now()
    assert search(world.member, "ventilation").total == 1
    with db.engine.begin() as connection:
        connection.execute(delete(Post).where(Post.id == created.id))
    index_fresh()
    assert search(world.member, "ventilation").total == 0


def test_a_single_row_insert_statement_is_indexed(world):
    created = post(world, "Ventilation double flux.", title="VMC")
    index_now()
    with db.engine.begin() as connection:
        result = connection.execute(insert(Post).values(
            topic_id=created.topic_id, number=99, author_id=world.member.id,
            body="Thermostat connecté.", body_html="<p>Thermostat connecté.</p>",
            created_at=created.created_at))
        new_id = result.inserted_primary_key[0]
    assert new_id
    index_fresh()
    assert search(world.member, "thermostat").total == 1
