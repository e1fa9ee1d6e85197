"""Forums: categories of a network, topics, posts, their edits, read positions, follows,
reports and mentions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.core.models import utcnow
from workspace.extensions import db


class Category(db.Model):
    __tablename__ = "forum_categories"
    __table_args__ = (UniqueConstraint("network_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(default=0)
    is_archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    topic_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    last_post_at: Mapped[datetime | None]


class Topic(db.Model):
    __tablename__ = "forum_topics"
    __table_args__ = (Index("ix_forum_topics_listing", "category_id", "is_pinned",
                            "last_post_at"),
                      Index("ix_forum_topics_network_activity", "network_id", "last_post_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("forum_categories.id",
                                                        ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    post_count: Mapped[int] = mapped_column(default=0)  # visible posts, the first included
    last_number: Mapped[int] = mapped_column(default=0)  # number of the newest post
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    is_pinned: Mapped[bool] = mapped_column(default=False)
    is_locked: Mapped[bool] = mapped_column(default=False)
    is_hidden: Mapped[bool] = mapped_column(default=False)

    category: Mapped[Category] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    last_post_author: Mapped[User | None] = relationship(foreign_keys=[last_post_author_id])

    @property
    def reply_count(self) -> int:
        return max(self.post_count - 1, 0)


class Post(db.Model):
    __tablename__ = "forum_posts"
    __table_args__ = (UniqueConstraint("topic_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topics.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1 for the opening post, then 2, 3... in the topic
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)  # Markdown as written
    body_html: Mapped[str] = mapped_column(Text)  # rendered and sanitised when saved
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revision: Mapped[int] = mapped_column(default=1)  # compared on save: concurrent edits
    is_deleted: Mapped[bool] = mapped_column(default=False)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    is_hidden: Mapped[bool] = mapped_column(default=False)
    via_email: Mapped[bool] = mapped_column(default=False)  # "envoyé par e-mail" (mailin)

    topic: Mapped[Topic] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    edited_by: Mapped[User | None] = relationship(foreign_keys=[edited_by_id])

    @property
    def is_visible(self) -> bool:
        return not (self.is_deleted or self.is_hidden)


class PostEdit(db.Model):
    """The text a post had before an edit: who changed it and when."""

    __tablename__ = "forum_post_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"),
                                         index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    previous_body: Mapped[str] = mapped_column(Text)


class TopicRead(db.Model):
    """How far a user has read a topic: the only row a page view writes."""

    __tablename__ = "forum_topic_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forum_topics.id", ondelete="CASCADE"),
                                          primary_key=True)
    last_read_number: Mapped[int] = mapped_column(default=0)


class ForumVisit(db.Model):
    """When a user last opened a network's forum, for "new since my last visit"."""

    __tablename__ = "forum_visits"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"),
                                            primary_key=True)
    visited_at: Mapped[datetime] = mapped_column(default=utcnow)
    previous_visit_at: Mapped[datetime | None]


class Report(db.Model):
    __tablename__ = "forum_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"),
                                         index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))

    post: Mapped[Post] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])


class Mention(db.Model):
    """A member mentioned in a post: notified once, however often the post is edited."""

    __tablename__ = "forum_mentions"

    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"),
                                         primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
