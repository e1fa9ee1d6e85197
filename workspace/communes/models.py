"""Organisations: the member communes, Le Mans Métropole itself, the CCAS."""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from workspace.extensions import db

KIND_COMMUNE, KIND_EPCI, KIND_CCAS, KIND_OTHER = "commune", "epci", "ccas", "other"
ORGANISATION_KINDS = (KIND_COMMUNE, KIND_EPCI, KIND_CCAS, KIND_OTHER)


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default=KIND_COMMUNE)
    joined_year: Mapped[int | None]
    is_archived: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"
