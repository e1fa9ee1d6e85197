"""Meetings of a network: agenda, answers (RSVP), attendance, minutes, decisions, actions."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.core.models import utcnow
from workspace.extensions import db

ANSWER_YES, ANSWER_NO, ANSWER_MAYBE = "yes", "no", "maybe"
ANSWERS = (ANSWER_YES, ANSWER_NO, ANSWER_MAYBE)
ACTION_OPEN, ACTION_DONE, ACTION_DROPPED = "open", "done", "dropped"
ACTION_STATUSES = (ACTION_OPEN, ACTION_DONE, ACTION_DROPPED)


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_network_starts", "network_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]  # UTC
    ends_at: Mapped[datetime]  # UTC
    location: Mapped[str] = mapped_column(String(300), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    minutes: Mapped[str] = mapped_column(Text, default="")  # Markdown, current revision
    minutes_html: Mapped[str] = mapped_column(Text, default="")
    minutes_updated_at: Mapped[datetime | None]
    attendance_recorded: Mapped[bool] = mapped_column(default=False)
    is_cancelled: Mapped[bool] = mapped_column(default=False)
    reminder_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE: bumped on change

    organizer: Mapped[User | None] = relationship()
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan")


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str] = mapped_column(String(160), default="")
    duration_minutes: Mapped[int | None]
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")


class Rsvp(db.Model):
    """A member's answer to an invitation, and afterwards whether they came."""

    __tablename__ = "meeting_rsvps"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    answer: Mapped[str | None] = mapped_column(String(8))
    answered_at: Mapped[datetime | None]
    attended: Mapped[bool | None]

    user: Mapped[User] = relationship()


class Decision(db.Model):
    __tablename__ = "meeting_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActionItem(db.Model):
    """What, who (a person or a commune), by when; followed until closed."""

    __tablename__ = "action_items"
    __table_args__ = (Index("ix_action_items_network_status", "network_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id",
                                                              ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    owner_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default=ACTION_OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    reminded_on: Mapped[date | None] = mapped_column(Date)

    meeting: Mapped[Meeting | None] = relationship()
    owner_user: Mapped[User | None] = relationship()
    owner_organisation: Mapped[Organisation | None] = relationship()

    @property
    def owner_label(self) -> str:
        if self.owner_user is not None:
            return self.owner_user.full_name
        return self.owner_organisation.name if self.owner_organisation else ""
