"""Tutorial pages of a network: Markdown text (every revision kept in `text_revisions`), a
place in the table of contents (position, optional parent page), soft deletion."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.core.models import utcnow
from workspace.extensions import db

REVISION_TYPE = "tutorial"  # object_type of the tutorial's text in text_revisions
TITLE_REVISION_TYPE = "tutorial_title"  # and of its successive titles
LINK_TYPE = "tutorial"  # target_type of its attachments in document_links


class Tutorial(db.Model):
    __tablename__ = "tutorials"
    __table_args__ = (Index("ix_tutorials_network_position", "network_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("tutorials.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown, the current revision
    body_html: Mapped[str] = mapped_column(Text, default="")  # rendered and sanitised on save
    # optimistic lock: an edit names the version it started from; +1 at each save
    version: Mapped[int] = mapped_column(default=1)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    parent: Mapped[Tutorial | None] = relationship(remote_side=[id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
