"""Following: one model for everything a person can follow (a topic, a category, a folder...).

Features register what can be followed (`register_follow_kind`); notifications stores the
follows and answers who follows what. One unsubscribe link scheme covers them too (see
`service.unsubscribe_token`, scope ``follow:<kind>:<id>``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import and_, delete, or_, select

from workspace.auth.models import User
from workspace.core.registry import registry
from workspace.extensions import db
from workspace.notifications.models import Follow


@dataclass(frozen=True)
class FollowKind:
    name: str                                # "topic", "category", "folder"
    model: type
    # how the object is named on the unsubscribe page ("le sujet « Sauvegardes »")
    describe: Callable[[Any], str]


def register_follow_kind(app: Flask, kind: FollowKind) -> None:
    registry("follow_kinds", app)[kind.name] = kind


def follow_kind(name: str) -> FollowKind | None:
    return registry("follow_kinds").get(name)


def _row(user_id: int, kind: str, target_id: int) -> Follow | None:
    return db.session.scalar(select(Follow).where(
        Follow.user_id == user_id, Follow.target_type == kind, Follow.target_id == target_id))


def is_following(user: User, kind: str, target_id: int) -> bool:
    return _row(user.id, kind, target_id) is not None


def follow(user: User, kind: str, target_id: int) -> None:
    if follow_kind(kind) is None:
        raise LookupError(f"nothing of kind {kind!r} can be followed")
    if _row(user.id, kind, target_id) is None:
        db.session.add(Follow(user_id=user.id, target_type=kind, target_id=target_id))
        db.session.flush()


def unfollow(user: User, kind: str, target_id: int) -> None:
    db.session.execute(delete(Follow).where(
        Follow.user_id == user.id, Follow.target_type == kind, Follow.target_id == target_id))


def follower_ids(targets: Iterable[tuple[str, int]]) -> set[int]:
    """Who follows any of these (kind, id) pairs."""
    pairs = [(kind, target_id) for kind, target_id in targets if target_id is not None]
    if not pairs:
        return set()
    return set(db.session.scalars(select(Follow.user_id).where(or_(*(
        and_(Follow.target_type == kind, Follow.target_id == target_id)
        for kind, target_id in pairs))).distinct()))


def follows_of(user: User) -> list[Follow]:
    return list(db.session.scalars(select(Follow).where(Follow.user_id == user.id)
                                   .order_by(Follow.id)))


def purge_orphan_follows(payload: dict | None = None) -> None:
    """Follows of objects that no longer exist (a topic or a folder deleted for good)."""
    for kind in registry("follow_kinds").values():
        db.session.execute(delete(Follow).where(
            Follow.target_type == kind.name,
            Follow.target_id.not_in(select(kind.model.id))))
