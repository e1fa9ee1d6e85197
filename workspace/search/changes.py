"""The change log of findable objects: one row per (kind, id) whose index entry must be
brought up to date, written in the same transaction as the change (outbox.py).

Every host keeps its own index and follows this log at its own pace from a cursor of its
own (follower.py): the log is read, never consumed, so one change reaches every index, a
host that was down catches up, and a new host rebuilds then follows. Rows are kept
CHANGES_KEPT_DAYS days (`search.purge_changes`, nightly); a host whose cursor is older
rebuilds.

A row of kind `REBUILD` asks every host to rebuild its index (after a restore, which
writes rows without logging them one by one).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import BigInteger, Index, String, delete, insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from workspace.core.models import utcnow
from workspace.extensions import db

REBUILD = "*"  # kind of the row that asks every host to rebuild its index


class SearchChange(db.Model):
    __tablename__ = "search_changes"
    # ids never go back (SQLite would otherwise reuse the largest id once rows are purged,
    # and a host's cursor would skip the new rows)
    __table_args__ = (Index("ix_search_changes_created_at", "created_at"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def rows(keys: Iterable[tuple[str, int]]) -> list[dict]:
    now = utcnow()
    return [{"kind": kind, "object_id": object_id, "created_at": now}
            for kind, object_id in sorted(keys)]


def append(connection: Connection, keys: Iterable[tuple[str, int]]) -> None:
    """Log these keys on this connection (its transaction commits or rolls them back)."""
    values = rows(keys)
    if values:
        connection.execute(insert(SearchChange.__table__), values)


def request_rebuild_everywhere() -> None:
    """Every host rebuilds its index when its follower reaches this row (a restore)."""
    db.session.add(SearchChange(kind=REBUILD, object_id=0))


def rebuild_everywhere_job(payload: dict) -> None:
    request_rebuild_everywhere()


def kept_days() -> int:
    return int(current_app.config["SEARCH_CHANGES_KEPT_DAYS"])


def purge_changes(payload: dict | None = None) -> int:
    """Nightly: forget the rows older than the kept period. A host that has not followed
    since then rebuilds (follower.py)."""
    limit = utcnow() - timedelta(days=kept_days())
    deleted = db.session.execute(delete(SearchChange).where(SearchChange.created_at < limit)
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return deleted or 0
