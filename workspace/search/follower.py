"""This host's index follows the change log (changes.py) from a cursor of its own.

Each host has its own index (DATA_DIR/search) and its own job worker; every worker loop
calls `follow()`, which applies the changes logged since the host's cursor to the host's
index, in one writer and one commit per batch, and then moves the cursor. Workers of one
host share its index and cursor: whoever takes the index's write lock applies the batch,
the others skip the step.

The cursor (cursor.py) says which changes the index holds, gaps included.

A host without cursor and with an empty index (a new host, a new schema) rebuilds; one
without cursor whose index has entries (the release that brought the change log) applies
the whole log. A cursor older than the log's kept period, or a `REBUILD` row, also ends in
a rebuild. Applying a change twice is harmless (the entry is recomputed from the
database), so every doubt is resolved by applying again, never by skipping.
"""
from __future__ import annotations

import logging
import time
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from workspace.extensions import db
from workspace.search import indexer
from workspace.search.changes import REBUILD, SearchChange, kept_days
from workspace.search.cursor import Cursor, load_cursor, newest_id, save_cursor
from workspace.search.registry import doc_key, registration

log = logging.getLogger(__name__)

BATCH = 1000  # changes applied per step (one writer, one commit)
IDLE_SAVE_SECONDS = 60.0  # an idle follower notes that it is alive this often
OPTIMIZE_HOURS = range(2, 5)  # Paris time: the nightly merge of the segments


def _gap_wait() -> float:
    return float(current_app.config["SEARCH_GAP_WAIT_SECONDS"])


def _pending(cursor: Cursor, limit: int) -> list[tuple[int, str, int]]:
    """(id, kind, object id) of the changes after the cursor, and of its gaps now visible."""
    columns = (SearchChange.id, SearchChange.kind, SearchChange.object_id)
    rows = list(db.session.execute(select(*columns).where(SearchChange.id > cursor.last_id)
                                   .order_by(SearchChange.id).limit(limit)))
    gaps = sorted(cursor.gaps)
    for start in range(0, len(gaps), 500):
        rows += db.session.execute(select(*columns).where(
            SearchChange.id.in_(gaps[start:start + 500])))
    db.session.commit()  # no transaction held while the index is written
    return [tuple(row) for row in rows]


def _too_old(cursor: Cursor) -> bool:
    return cursor.followed_at < time.time() - kept_days() * 86400 + 3600


def follow(limit: int = BATCH) -> int:
    """One step of this host's follower (each worker loop runs it). Returns the number of
    changes applied: 0 when there were none or when another process of this host is
    writing the index."""
    cursor = load_cursor(indexer.index_dir())
    if cursor is None or _too_old(cursor):
        return _start(cursor)
    pending = _pending(cursor, limit)
    if not pending:
        _idle(cursor)
        return 0
    ix = indexer.open_index()
    try:
        writer = indexer.writer(ix, timeout=0)
    except indexer.IndexBusy:
        return 0
    try:
        # another worker of this host may have moved the cursor meanwhile
        again = load_cursor(indexer.index_dir())
        if again != cursor:
            writer.cancel()
            return 0
        if any(kind == REBUILD for _id, kind, _object in pending):
            writer.cancel()
            log.warning("search: a rebuild of every host's index was asked for; rebuilding")
            indexer.rebuild()
            return len(pending)
        _apply(writer, {(kind, object_id) for _id, kind, object_id in pending})
    except BaseException:
        writer.cancel()
        raise
    indexer.commit(ix, writer)
    cursor.advance([change_id for change_id, _kind, _object in pending], time.time(),
                   _gap_wait())
    save_cursor(indexer.index_dir(), cursor)
    return len(pending)


def _start(cursor: Cursor | None) -> int:
    """No cursor, or one too old to follow from: rebuild, or adopt an index that predates
    the cursors (apply the whole log, which holds every change since)."""
    if cursor is None and indexer.open_index().doc_count_all():
        adopted = Cursor(followed_at=time.time(), optimized_at=time.time())
        save_cursor(indexer.index_dir(), adopted)
        log.warning("search: following the change log from its start with the index found")
        return 0
    log.warning("search: this host's index %s; rebuilding it from the database",
                "is empty" if cursor is None else "missed changes no longer logged")
    return _rebuild()


def _rebuild() -> int:
    try:
        return indexer.rebuild() or 1
    except indexer.IndexBusy:
        return 0


def _idle(cursor: Cursor) -> None:
    now = time.time()
    if _optimize_due(cursor, now):
        try:
            indexer.optimize_index()
        except indexer.IndexBusy:
            return
        cursor.optimized_at = now
        save_cursor(indexer.index_dir(), cursor)
    elif now - cursor.followed_at > IDLE_SAVE_SECONDS:
        newest = newest_id()
        db.session.commit()
        if newest < cursor.last_id:  # another database, or a restored one
            log.warning("search: the change log is behind this host's cursor; rebuilding")
            _rebuild()
            return
        cursor.followed_at = now
        save_cursor(indexer.index_dir(), cursor)


def _optimize_due(cursor: Cursor, now: float) -> bool:
    """Once a night (Paris time), or after two days without."""
    hour = datetime.fromtimestamp(now, ZoneInfo("Europe/Paris")).hour
    age = now - cursor.optimized_at
    return (age > 20 * 3600 and hour in OPTIMIZE_HOURS) or age > 48 * 3600


def _apply(writer, keys: set[tuple[str, int]]) -> None:
    """Recompute the entries of these objects: (re)written, or deleted when gone or no
    longer findable. One query per kind and 500 objects."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, object_id in keys:
        by_kind[kind].append(object_id)
    for kind, ids in sorted(by_kind.items()):
        reg = registration(kind)
        for start in range(0, len(ids), 500):
            chunk = sorted(ids[start:start + 500])
            docs = {doc.object_id: doc for doc in reg.documents(chunk)} if reg else {}
            for object_id in chunk:
                doc = docs.get(object_id)
                if doc is None:
                    writer.delete_by_term("key", doc_key(kind, object_id))
                else:
                    writer.update_document(**indexer.fields(doc))
    db.session.commit()


def lagging_changes() -> tuple[int, set[int]]:
    """(id, gaps) for lag.py: the changes after that id, and those ids, may be missing from
    this host's searchers."""
    cursor = load_cursor(indexer.index_dir())
    if cursor is None:
        return 0, set()
    return cursor.lagging_since(time.time())
