"""Rows of the privacy feature: the audit log, the legal pages, the anonymised accounts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.core.models import utcnow
from workspace.extensions import db


class AuditEvent(db.Model):
    """One security event. No foreign keys on the user ids: the log outlives the rows it
    talks about, and it never holds a password, a token or a hash."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_kind_created", "kind", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(index=True)
    subject_id: Mapped[int | None] = mapped_column(index=True)
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class LegalPage(db.Model):
    """The text of a legal page once an administrator has saved it (before that, the
    default text of ``legal.DEFAULTS`` is shown)."""

    __tablename__ = "legal_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship()


class AnonymisedAccount(db.Model):
    """An account whose holder's identity was erased: when, and by which administrator."""

    __tablename__ = "anonymised_accounts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    anonymised_at: Mapped[datetime] = mapped_column(default=utcnow)
    anonymised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                    ondelete="SET NULL"))
