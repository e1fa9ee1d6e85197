"""Thematic workshops: registrations with capacity, per-commune seats and a waiting list,
attendance, notes and feedback."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.core.models import utcnow
from workspace.extensions import db

CONFIRMED, WAITING, CANCELLED = "confirmed", "waiting", "cancelled"


class Workshop(db.Model):
    __tablename__ = "workshops"
    __table_args__ = (Index("ix_workshops_network_starts", "network_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    theme: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    location: Mapped[str] = mapped_column(String(300), default="")
    capacity: Mapped[int]
    seats_per_commune: Mapped[int | None]
    registration_deadline: Mapped[datetime]
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    notes_html: Mapped[str] = mapped_column(Text, default="")
    notes_updated_at: Mapped[datetime | None]
    confirmed_count: Mapped[int] = mapped_column(default=0)  # kept under the workshop's lock
    waiting_count: Mapped[int] = mapped_column(default=0)
    lock_version: Mapped[int] = mapped_column(default=0)  # bumped to take the row's lock
    is_cancelled: Mapped[bool] = mapped_column(default=False)
    reminder_sent_at: Mapped[datetime | None]
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organizer: Mapped[User | None] = relationship()

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)


class Registration(db.Model):
    __tablename__ = "workshop_registrations"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),
                      Index("ix_registrations_workshop_status", "workshop_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    attended: Mapped[bool | None]

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class Feedback(db.Model):
    __tablename__ = "workshop_feedback"

    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"),
                                             primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    rating: Mapped[int]  # 1 to 5
    useful: Mapped[str] = mapped_column(Text, default="")
    improve: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
