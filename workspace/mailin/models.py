"""Mail received by the reply mailbox: one row per Message-ID, whatever became of it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from workspace.core.models import utcnow
from workspace.extensions import db

POSTED = "posted"      # became a post: moved to the "traités" folder
REFUSED = "refused"    # not posted, the reason kept here: moved to "refusés"
IGNORED = "ignored"    # an auto-reply, a bounce, a list: moved to "refusés", nobody told


class InboundMail(db.Model):
    """A message taken from the mailbox. Written in the same transaction as its post, before
    the message is moved: a poll interrupted after the commit finds the Message-ID here and
    only moves the message; nothing is posted twice."""

    __tablename__ = "mailin_messages"
    __table_args__ = (Index("ix_mailin_messages_user_received", "user_id", "received_at"),
                      Index("ix_mailin_messages_sender_notice", "sender", "notice_sent_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    sender: Mapped[str] = mapped_column(String(320), default="")  # From, lower case
    subject: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int] = mapped_column(default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("forum_topics.id",
                                                            ondelete="SET NULL"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("forum_posts.id",
                                                           ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(1000), default="")  # French, for the admins
    notice_sent_at: Mapped[datetime | None]  # the sender was told why (refusals only)

    @property
    def folder_key(self) -> str:
        return "done" if self.status == POSTED else "refused"
