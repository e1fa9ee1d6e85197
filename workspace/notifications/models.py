"""Notification rows, per-kind choices and follows.

A notification stores who, what kind, which network, who acted and a reference to the object
(type + id): never a copied name or text. Names and titles are read when the notification is
shown or sent, so a renamed topic or an anonymised member shows up as they are now.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workspace.core.models import utcnow
from workspace.extensions import db

# e-mail state of a notification
MAIL_NONE = "none"        # site only (or the kind sends its e-mail elsewhere)
MAIL_PENDING = "pending"  # waits for the immediate job or the next digest
MAIL_SENT = "sent"
MAIL_DROPPED = "dropped"  # not sent: the recipient may no longer see the object


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
        Index("ix_notifications_mail_queue", "mail_state", "channel", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int]
    is_important: Mapped[bool] = mapped_column(default=False)
    channel: Mapped[str] = mapped_column(String(16))  # the recipient's choice at the time
    mail_state: Mapped[str] = mapped_column(String(16), default=MAIL_NONE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    mailed_at: Mapped[datetime | None]


class NotificationPreference(db.Model):
    """A user's choice for one kind; no row means the kind's default."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(16))


class Follow(db.Model):
    """Someone follows an object (a topic, a category, a folder: see `follows.py`) and
    hears of what is new in it. The object is a reference (type + id), like a notification's."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "target_type", "target_id"),
                      Index("ix_follows_target", "target_type", "target_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
