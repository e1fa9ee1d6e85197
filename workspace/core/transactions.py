"""Row locks and retries for the few operations that must be serialised (seats of a
workshop), on SQLite and PostgreSQL alike."""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from workspace.extensions import db

T = TypeVar("T")
_LOCK_ERRORS = ("database is locked", "database table is locked", "deadlock detected",
                "could not serialize")


def lock_row(model, row_id: int) -> None:
    """Take the write lock of one row for the rest of the transaction: PostgreSQL locks the
    row; SQLite takes its single writer lock. Readers are never blocked."""
    db.session.execute(update(model).where(model.id == row_id)
                       .values(lock_version=model.lock_version + 1)
                       .execution_options(synchronize_session=False))


def commit_with_retry(operation: Callable[[], T], attempts: int = 30) -> T:
    """Run `operation` and commit; when the database reports a lock conflict, roll back and
    run it again (it must reload what it needs). Other errors go up unchanged."""
    for attempt in range(attempts):
        try:
            result = operation()
            db.session.commit()
            return result
        except OperationalError as error:
            db.session.rollback()
            if attempt == attempts - 1 or not any(text in str(error).lower()
                                                  for text in _LOCK_ERRORS):
                raise
            time.sleep(random.uniform(0.005, 0.03) * (attempt + 1))
    raise RuntimeError("unreachable")
