"""The shared inventory: each commune's contracts and its equipment and software, per network.

Amounts are stored as integer cents (never floats); dates as calendar dates (no time zone:
a contract ends on a day, the same day in every time zone).
"""
from __future__ import annotations

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import BigInteger, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.communes.models import Organisation
from workspace.core.models import utcnow
from workspace.extensions import db

CONTRACT_KINDS = ("telecoms", "software", "maintenance", "printing", "other")
ITEM_KINDS = ("software", "hardware", "network", "printer", "other")


class InventoryContract(db.Model):
    __tablename__ = "inventory_contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"),
                                            index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    supplier: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    notice_months: Mapped[int] = mapped_column(default=0)
    yearly_amount_cents: Mapped[int | None] = mapped_column(BigInteger)
    licence_count: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()

    @property
    def notice_deadline(self) -> date | None:
        """The last day to give notice: the end date minus the notice period."""
        if self.ends_on is None:
            return None
        return self.ends_on - relativedelta(months=self.notice_months or 0)


class InventoryItem(db.Model):
    """Equipment or software in use in a commune."""

    __tablename__ = "inventory_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"),
                                            index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    product: Mapped[str] = mapped_column(String(120))
    product_key: Mapped[str] = mapped_column(String(120), index=True)  # folded: no case/accent
    version: Mapped[str] = mapped_column(String(60), default="")
    quantity: Mapped[int] = mapped_column(default=1)
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()


class InventoryReminder(db.Model):
    """A renewal reminder sent: once per contract, threshold and notice deadline (a contract
    renewed with a new end date gets its reminders again)."""

    __tablename__ = "inventory_reminders"
    __table_args__ = (UniqueConstraint("contract_id", "threshold_days", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("inventory_contracts.id", ondelete="CASCADE"), index=True)
    threshold_days: Mapped[int]
    deadline: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    recipient_count: Mapped[int] = mapped_column(default=0)
