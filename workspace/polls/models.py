"""Date polls: candidate slots, the people and communes asked, each person's answers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.core.models import utcnow
from workspace.extensions import db

YES, MAYBE, NO = "yes", "maybe", "no"
CHOICES = (YES, MAYBE, NO)
OPEN, CLOSED, CONCLUDED, CANCELLED = "open", "closed", "concluded", "cancelled"
FOR_MEETING, FOR_WORKSHOP = "meeting", "workshop"
TARGETS = (FOR_MEETING, FOR_WORKSHOP)
ASK_NETWORK, ASK_CHOSEN = "network", "chosen"
SHOW_MEMBERS, SHOW_COORDINATORS = "members", "coordinators"


class Poll(db.Model):
    __tablename__ = "polls"
    __table_args__ = (Index("ix_polls_network_status", "network_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    target: Mapped[str] = mapped_column(String(10), default=FOR_MEETING)
    audience: Mapped[str] = mapped_column(String(10), default=ASK_NETWORK)
    answers_shown_to: Mapped[str] = mapped_column(String(12), default=SHOW_MEMBERS)
    closes_at: Mapped[datetime]  # UTC: no answer is taken from then on
    status: Mapped[str] = mapped_column(String(10), default=OPEN)
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]  # closed, concluded or cancelled
    reminder_sent_at: Mapped[datetime | None]
    chosen_slot_id: Mapped[int | None]  # the slot that became the event (no FK: a cycle)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id",
                                                              ondelete="SET NULL"))
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id",
                                                               ondelete="SET NULL"))
    lock_version: Mapped[int] = mapped_column(default=0)  # bumped to take the row's lock

    organizer: Mapped[User | None] = relationship()
    slots: Mapped[list[PollSlot]] = relationship(
        back_populates="poll", order_by="(PollSlot.starts_at, PollSlot.id)",
        cascade="all, delete-orphan")

    @property
    def state(self) -> str:
        """The status as a reader sees it now: an open poll past its closing date is closed
        (the periodic sweep writes it down later)."""
        if self.status == OPEN and utcnow() >= self.closes_at:
            return CLOSED
        return self.status


class PollSlot(db.Model):
    """A candidate date: start and end, UTC."""

    __tablename__ = "poll_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"),
                                         index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    poll: Mapped[Poll] = relationship(back_populates="slots")


class PollInvitee(db.Model):
    """A person chosen by name (audience "chosen")."""

    __tablename__ = "poll_invitees"

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"),
                                         primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)


class PollCommune(db.Model):
    """A commune chosen (audience "chosen"): its people in the network are asked."""

    __tablename__ = "poll_communes"

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"),
                                         primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)


class PollResponse(db.Model):
    """One person's answer to a poll: the comment and when it was last changed. The
    (poll, user) unique constraint is the last guard against a double submission."""

    __tablename__ = "poll_responses"
    __table_args__ = (UniqueConstraint("poll_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class PollAnswer(db.Model):
    """One person's choice for one slot: yes, if need be (maybe) or no."""

    __tablename__ = "poll_answers"
    __table_args__ = (UniqueConstraint("slot_id", "user_id"),
                      Index("ix_poll_answers_poll_user", "poll_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("poll_slots.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    choice: Mapped[str] = mapped_column(String(8))
