"""The needs register: what communes ask for, who else needs it, what answered it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.core.models import utcnow
from workspace.extensions import db

NEED_OPEN, NEED_ANSWERED = "open", "answered"


class Need(db.Model):
    __tablename__ = "needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"),
                                            index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default=NEED_OPEN)
    support_count: Mapped[int] = mapped_column(default=1)  # communes that share it
    answered_by_workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshops.id", ondelete="SET NULL"))
    answered_by_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]

    organisation: Mapped[Organisation | None] = relationship()
    author: Mapped[User | None] = relationship()


class NeedSupport(db.Model):
    """"Us too": one row per commune that shares the need (the first one included)."""

    __tablename__ = "need_supports"
    __table_args__ = (UniqueConstraint("need_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id",
                                                            ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User | None] = relationship()
