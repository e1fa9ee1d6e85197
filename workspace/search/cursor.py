"""A host's place in the change log (changes.py): which changes its index holds.

- `last_id`: every change up to it is applied, except the gaps;
- `gaps`: ids below `last_id` that were not visible when the cursor passed them. A change
  row gets its id when its transaction writes it and becomes visible when it commits, so a
  transaction that commits after a later one leaves a hole for a moment; an id used by a
  rolled-back transaction (or skipped by a PostgreSQL sequence) is a hole forever. The
  follower looks for the gaps again at each step and forgets those older than
  SEARCH_GAP_WAIT_SECONDS;
- `marks`: the cursor as it was before each step of the last RECENT seconds, so that the
  search page counts as lagging what was applied after its searcher was opened (lag.py);
- `followed_at`, `optimized_at`: when the follower last looked, and last merged segments.

It is kept in `follower.json` beside the index, so the index and its cursor go together.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from workspace.extensions import db
from workspace.search.changes import SearchChange

NAME = "follower.json"
RECENT = 10.0  # seconds a step's changes still count as lagging (lag.py)
MAX_GAPS = 10_000
GAP_SCAN = 1000  # ids before the newest one whose absence a rebuild keeps as gaps


@dataclass
class Cursor:
    last_id: int = 0
    gaps: dict[int, float] = field(default_factory=dict)  # id -> when first missed
    followed_at: float = 0.0
    optimized_at: float = 0.0
    marks: list[tuple[float, int, list[int]]] = field(default_factory=list)

    def lagging_since(self, now: float) -> tuple[int, set[int]]:
        """(id, gaps): the changes after that id, and those gaps, may be missing from a
        searcher opened up to RECENT seconds ago."""
        since, gaps = self.last_id, set(self.gaps)
        for moment, last_id, old_gaps in self.marks:
            if moment >= now - RECENT:
                since = min(since, last_id)
                gaps.update(old_gaps)
        return since, gaps

    def advance(self, seen: list[int], now: float, gap_wait: float) -> None:
        """The ids just applied (new ones above `last_id`, and found gaps)."""
        self.marks = [mark for mark in self.marks if mark[0] >= now - RECENT]
        self.marks.append((now, self.last_id, sorted(self.gaps)))
        for change_id in seen:
            if change_id > self.last_id:
                self.gaps.update(dict.fromkeys(range(self.last_id + 1, change_id), now))
                self.last_id = change_id
            else:
                self.gaps.pop(change_id, None)
        applied = set(seen)
        self.gaps = {gap: since for gap, since in self.gaps.items()
                     if since >= now - gap_wait and gap not in applied}
        if len(self.gaps) > MAX_GAPS:  # keep the newest: the old ones are rolled back
            self.gaps = dict(sorted(self.gaps.items())[-MAX_GAPS:])
        self.followed_at = now


def load_cursor(index_dir: Path) -> Cursor | None:
    try:
        data = json.loads((index_dir / NAME).read_text())
        return Cursor(last_id=int(data["last_id"]),
                      gaps={int(k): float(v) for k, v in data.get("gaps", {}).items()},
                      followed_at=float(data.get("followed_at", 0)),
                      optimized_at=float(data.get("optimized_at", 0)),
                      marks=[(float(t), int(i), [int(g) for g in gs])
                             for t, i, gs in data.get("marks", [])])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_cursor(index_dir: Path, cursor: Cursor) -> None:
    """Written whole then renamed: a reader sees the old cursor or the new one."""
    path = index_dir / NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    data = asdict(cursor)
    data["gaps"] = {str(k): v for k, v in cursor.gaps.items()}
    temporary.write_text(json.dumps(data))
    os.replace(temporary, path)


def newest_id() -> int:
    """The last id the log's sequence handed out (0 if none): rows of transactions still
    open included, and still known after the purge emptied the log. (The largest id
    present would go back to 0 then, and the next row would seem to leave thousands of
    gaps behind it.)"""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"),
                                      {"t": SearchChange.__tablename__}).scalar()
        row = connection.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
        return int(row.last_value) if row.is_called else 0
    if connection.dialect.name == "sqlite":  # AUTOINCREMENT keeps it in sqlite_sequence
        value = connection.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :t"),
                                   {"t": SearchChange.__tablename__}).scalar()
        return int(value or 0)
    return int(db.session.scalar(select(func.max(SearchChange.id))) or 0)


def position_now(gap_wait: float) -> Cursor:
    """Where an index filled from the database from now on starts following: after the
    newest change, with the ids missing just before it kept as gaps: transactions still
    open, whose rows the rebuild may not see. Only ids handed out after the newest row
    older than `gap_wait` can be that (at most GAP_SCAN of them)."""
    last = newest_id()
    now = time.time()
    old = db.session.scalar(select(func.max(SearchChange.id)).where(
        SearchChange.created_at < datetime.fromtimestamp(now - gap_wait, UTC))) or 0
    floor = max(old, last - GAP_SCAN)
    present = set(db.session.scalars(select(SearchChange.id).where(SearchChange.id > floor)))
    gaps = {gap: now for gap in range(floor + 1, last + 1) if gap not in present}
    return Cursor(last_id=last, gaps=gaps, followed_at=now, optimized_at=now)
