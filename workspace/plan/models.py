"""The pooling plan: a plan (2014–2020), its priority actions (numbered, linked to networks),
their yearly reminders and objectives, and what advanced each objective."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

# a plan's years, and every ?year= accepted: the product's range of dates
from workspace.core.inputs import FIRST_YEAR, LAST_YEAR  # noqa: F401
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.networks.models import Network

SEMESTER_FIRST, SEMESTER_SECOND, SEMESTER_YEAR = "s1", "s2", "year"
SEMESTERS = (SEMESTER_FIRST, SEMESTER_SECOND, SEMESTER_YEAR)
KIND_INFORMATION, KIND_OPPORTUNITY, KIND_FEASIBILITY, KIND_PURCHASE, KIND_OTHER = (
    "information", "opportunity", "feasibility", "purchase", "other")
KINDS = (KIND_INFORMATION, KIND_OPPORTUNITY, KIND_FEASIBILITY, KIND_PURCHASE, KIND_OTHER)
STATUS_PLANNED, STATUS_UNDER_WAY, STATUS_DONE, STATUS_DROPPED = (
    "planned", "under_way", "done", "dropped")
STATUSES = (STATUS_PLANNED, STATUS_UNDER_WAY, STATUS_DONE, STATUS_DROPPED)
LINK_TYPES = ("meeting", "workshop", "need", "document", "topic")

plan_action_networks = Table(
    "plan_action_networks", db.metadata,
    Column("action_id", ForeignKey("plan_actions.id", ondelete="CASCADE"), primary_key=True),
    Column("network_id", ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Plan(db.Model):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    first_year: Mapped[int]
    last_year: Mapped[int]
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actions: Mapped[list[PlanAction]] = relationship(
        back_populates="plan", order_by="PlanAction.number", cascade="all, delete-orphan")

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class PlanAction(db.Model):
    """A priority action ("action prioritaire n"), numbered within its plan."""

    __tablename__ = "plan_actions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    axis: Mapped[str] = mapped_column(String(300), default="")  # e.g. "horizontal" pooling
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="actions")
    networks: Mapped[list[Network]] = relationship(secondary=plan_action_networks,
                                                   order_by=Network.name)

    @property
    def network_ids(self) -> set[int]:
        return {network.id for network in self.networks}


class ActionReminder(db.Model):
    """"Rappel des actions de l'année précédente", written for one year (Markdown)."""

    __tablename__ = "plan_action_reminders"

    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id", ondelete="CASCADE"),
                                           primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)  # the year the text looks back on
    text: Mapped[str] = mapped_column(Text, default="")
    text_html: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))


class Objective(db.Model):
    """One numbered objective of an action for a year, placed in a semester."""

    __tablename__ = "plan_objectives"
    __table_args__ = (Index("ix_plan_objectives_action_year", "action_id", "year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id", ondelete="CASCADE"))
    year: Mapped[int]
    number: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    semester: Mapped[str] = mapped_column(String(8), default=SEMESTER_YEAR)
    kind: Mapped[str] = mapped_column(String(16), default=KIND_OTHER)
    status: Mapped[str] = mapped_column(String(16), default=STATUS_PLANNED)
    progress_note: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))

    action: Mapped[PlanAction] = relationship()


class ObjectiveLink(db.Model):
    """What advanced an objective: a meeting, workshop, need, document or forum topic of one
    of the action's networks (`target_network_id` kept to filter what a viewer may see)."""

    __tablename__ = "plan_objective_links"
    __table_args__ = (UniqueConstraint("objective_id", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("plan_objectives.id",
                                                         ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int]
    target_network_id: Mapped[int] = mapped_column(ForeignKey("networks.id",
                                                              ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
