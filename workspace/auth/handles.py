"""Handles for @mentions: "Thomas Bernard" -> "thomas.bernard", made unique with a number."""
from __future__ import annotations

from slugify import slugify
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from workspace.auth.models import User


def base_handle(first_name: str, last_name: str) -> str:
    return slugify(f"{first_name} {last_name}", separator=".", max_length=50) or "membre"


def _taken(session: Session, handle: str, pending: set[str]) -> bool:
    if handle in pending:
        return True
    with session.no_autoflush:
        return session.scalar(select(User.id).where(User.handle == handle)) is not None


@event.listens_for(Session, "before_flush")
def assign_handles(session: Session, flush_context, instances) -> None:
    """Every new user gets a free handle before it is written."""
    pending: set[str] = set()
    for obj in session.new:
        if isinstance(obj, User) and not obj.handle:
            base = base_handle(obj.first_name or "", obj.last_name or "")
            handle, n = base, 1
            while _taken(session, handle, pending):
                n += 1
                handle = f"{base}.{n}"
            obj.handle = handle
            pending.add(handle)
