"""Private Atom feed tokens of a network's activity (revocable, one live per user and network)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from workspace.core.models import utcnow
from workspace.extensions import db


class ActivityFeedToken(db.Model):
    """The secret of a private feed address: only its SHA-256 is stored, so the address is
    shown once, when it is made; revoking keeps the row (revoked_at) for the record."""

    __tablename__ = "activity_feed_tokens"
    __table_args__ = (Index("ix_activity_feed_tokens_user_network", "user_id", "network_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
