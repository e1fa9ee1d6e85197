"""Private calendar feeds: one secret, revocable address per user, which calendar programs
(Thunderbird, Zimbra) poll without signing in.

Only the token's SHA-256 is stored. What a feed shows is decided at each poll, from the
networks its owner may see at that moment: leaving a network, or a disabled account, takes
effect at the next refresh.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workspace.auth.models import User, hash_token
from workspace.calendar.models import FeedToken
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.meetings.models import Meeting
from workspace.networks.access import visible_network_ids
from workspace.workshops.models import Workshop

FEED_PAST_DAYS = 90
TOKEN_BYTES = 32  # 256 bits: not guessable, so the address needs no rate limit
MAX_TOKEN_LENGTH = 128


def active_feed_token(user: User) -> FeedToken | None:
    return db.session.scalar(select(FeedToken).where(
        FeedToken.user_id == user.id, FeedToken.revoked_at.is_(None))
        .order_by(FeedToken.created_at.desc()).limit(1))


def revoke_feed_tokens(user: User) -> int:
    """Stop every feed address of the user; returns how many were live."""
    tokens = db.session.scalars(select(FeedToken).where(
        FeedToken.user_id == user.id, FeedToken.revoked_at.is_(None))).all()
    now = utcnow()
    for token in tokens:
        token.revoked_at = now
    db.session.flush()
    return len(tokens)


def issue_feed_token(user: User) -> str:
    """A new secret feed address for the user (returned once, in clear); the previous
    address stops working."""
    revoke_feed_tokens(user)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(FeedToken(user_id=user.id, token_hash=hash_token(token)))
    db.session.flush()
    return token


def feed_owner(token: str) -> User | None:
    """The active user whose live feed this token opens; None for an unknown or revoked
    token, or a disabled account."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = db.session.scalar(select(FeedToken).where(
        FeedToken.token_hash == hash_token(token), FeedToken.revoked_at.is_(None)))
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def feed_items(user: User, now: datetime | None = None
               ) -> tuple[list[Meeting], list[Workshop]]:
    """Meetings and workshops of the networks the user may see now, from FEED_PAST_DAYS
    ago onwards; cancelled ones included, so that subscribed calendars drop them."""
    network_ids = visible_network_ids(user)
    if not network_ids:
        return [], []
    since = (now or utcnow()) - timedelta(days=FEED_PAST_DAYS)
    meetings = db.session.scalars(select(Meeting).where(
        Meeting.network_id.in_(network_ids), Meeting.ends_at >= since)
        .options(selectinload(Meeting.organizer), selectinload(Meeting.agenda))
        .order_by(Meeting.starts_at, Meeting.id)).all()
    workshops = db.session.scalars(select(Workshop).where(
        Workshop.network_id.in_(network_ids), Workshop.ends_at >= since)
        .options(selectinload(Workshop.organizer))
        .order_by(Workshop.starts_at, Workshop.id)).all()
    return list(meetings), list(workshops)
