"""Revisions of Markdown texts (meeting minutes, workshop notes): who changed what, when."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.core.models import utcnow
from workspace.extensions import db


class TextRevision(db.Model):
    __tablename__ = "text_revisions"
    __table_args__ = (Index("ix_text_revisions_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    number: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User")


def revisions(object_type: str, object_id: int) -> list[TextRevision]:
    return list(db.session.scalars(select(TextRevision).where(
        TextRevision.object_type == object_type, TextRevision.object_id == object_id)
        .order_by(TextRevision.number.desc())))


def record_revision(object_type: str, object_id: int, body: str, author) -> TextRevision | None:
    """Store a new revision unless the text is the same as the latest one."""
    latest = db.session.scalar(select(TextRevision).where(
        TextRevision.object_type == object_type, TextRevision.object_id == object_id)
        .order_by(TextRevision.number.desc()).limit(1))
    if latest is not None and latest.body == body:
        return None
    revision = TextRevision(object_type=object_type, object_id=object_id, body=body,
                            number=(latest.number + 1) if latest else 1,
                            author_id=author.id if author else None)
    db.session.add(revision)
    db.session.flush()
    return revision
