"""When a user last opened the dashboard, for "new since my previous visit"."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from workspace.core.models import utcnow
from workspace.extensions import db


class DashboardVisit(db.Model):
    """One row per user. `seen_at` moves at most once per `VISIT_GAP` (a visit, not every
    page view); the value it had before becomes `previous_seen_at`, the dashboard's
    "since" mark, which therefore stays put while the user comes and goes within a visit."""

    __tablename__ = "dashboard_visits"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    previous_seen_at: Mapped[datetime | None]
