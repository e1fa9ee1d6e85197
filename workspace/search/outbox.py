"""Never lose an update: every write that adds, changes or deletes a findable row (or a row
it depends on) logs its keys in the change log (changes.py) in the same transaction,
whatever API made it. Every host's follower then applies them to its own index.

- ORM flushes: ids are known only after the flush, so keys are collected in `after_flush`
  and the change rows added in `after_flush_postexec`; the commit flushes them too. A key is
  enqueued once per transaction.
- Statements (`update(Post)...`, `delete(Folder)...`, `insert(...)` through a session or a
  bare connection): the engine's `before_execute` reads the ids the statement's WHERE
  touches (a DELETE's objects are read then, while they exist), `after_execute` reads the
  changed rows and inserts the change rows on the same connection, in the same transaction.

The change rows commit or roll back with the change itself.
"""
from __future__ import annotations

from flask import has_app_context
from flask_sqlalchemy.session import Session
from sqlalchemy import Delete, Insert, Update, event, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session as PlainSession

from workspace.search import changes
from workspace.search.registry import affected, affected_by_columns, watched_models

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
    event.listen(Session, "before_flush", _flush_starts)
    event.listen(Session, "after_flush_postexec", _flush_ends)
    event.listen(Engine, "before_execute", _before_statement)
    event.listen(Engine, "after_execute", _after_statement)
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
    for values in changes.rows(keys - sent):
        session.add(changes.SearchChange(**values))
    sent.update(keys)


def _forget(session) -> None:
    session.info.pop(_SENT_KEY, None)
    session.info.pop(_PENDING_KEY, None)


def _forget_after_rollback(session, previous_transaction) -> None:
    # The change rows of the rolled-back (sub)transaction are gone: log them again if the
    # rows change again. At worst an object is indexed twice, which is harmless.
    _forget(session)


# --- statements ------------------------------------------------------------------------
# The ORM's own flush statements are seen by the flush events above: skipped here.
_FLUSHING = "search_flushing"
_STATEMENT = "search_statement"


def _flush_starts(session, flush_context, instances) -> None:
    session.connection().info[_FLUSHING] = True


def _flush_ends(session, flush_context) -> None:
    session.connection().info.pop(_FLUSHING, None)


def _watched_model(statement):
    if not isinstance(statement, (Update, Delete, Insert)) or not has_app_context():
        return None
    described = statement.entity_description  # the mapped class, or the Table itself
    entity, table = described.get("entity"), described.get("table")
    for model in watched_models():
        if entity is model or table is model.__table__:
            return model
    return None


def _before_statement(conn: Connection, statement, multiparams, params,
                      execution_options) -> None:
    if conn.info.get(_FLUSHING) or not _wanted(conn, execution_options):
        return
    model = _watched_model(statement)
    if model is None:
        return
    if isinstance(statement, Insert):
        conn.info[_STATEMENT] = (statement, model, [], set())
        return
    query = select(_key_column(model))
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    ids: list[int] = []
    for values in _parameter_sets(query, multiparams, params):
        ids += conn.execute(query, values).scalars()
    keys: set[tuple[str, int]] = set()
    if isinstance(statement, Delete) and ids:
        keys = _keys(conn, model, ids, columns=None)  # read while the rows exist
    conn.info[_STATEMENT] = (statement, model, ids, keys)


def _after_statement(conn: Connection, statement, multiparams, params, execution_options,
                     result) -> None:
    pending = conn.info.get(_STATEMENT)
    if pending is None or pending[0] is not statement:
        return
    del conn.info[_STATEMENT]
    statement, model, ids, keys = pending
    if isinstance(statement, Insert):
        ids = _inserted_ids(result)
        columns = None
    elif isinstance(statement, Update):
        columns = set(statement.compile().params) & set(model.__table__.columns.keys())
    else:
        columns = None
    if ids and not isinstance(statement, Delete):
        keys = _keys(conn, model, ids, columns)
    changes.append(conn, keys)


def _wanted(conn: Connection, execution_options) -> bool:
    """`execution_options(index_changes=False)`: a maintenance statement (emptying tables,
    a restore that rebuilds the index afterwards) logs no change."""
    options = {**conn.get_execution_options(), **(execution_options or {})}
    return options.get("index_changes", True)


def _key_column(model):
    return sa_inspect(model).primary_key[0]


def _parameter_sets(query, multiparams, params) -> list[dict | None]:
    """The SELECT runs with the statement's own values only when its WHERE has bound
    parameters without value (an executemany); else once, as it is."""
    needed = [name for name, value in query.compile().params.items() if value is None]
    if not needed:
        return [None]
    sets = list(multiparams) or [params]
    return [{name: values[name] for name in needed if name in values} for values in sets]


def _inserted_ids(result) -> list[int]:
    try:
        rows = result.inserted_primary_key_rows or []
    except Exception:  # noqa: BLE001 - a many-row INSERT without RETURNING: ids unknown
        return []
    return [row[0] for row in rows if row and row[0] is not None]


def _keys(conn: Connection, model, ids: list[int], columns: set[str] | None
          ) -> set[tuple[str, int]]:
    """The (kind, id) pairs these rows call to index again, read on the statement's own
    connection (its transaction sees the change)."""
    with PlainSession(bind=conn) as session:
        rows = session.scalars(select(model).where(_key_column(model).in_(ids))).all()
        found: set[tuple[str, int]] = set()
        for row in rows:
            found |= affected_by_columns(row, columns)
    return found
