"""Links between accounts and their identities elsewhere (a directory entry, an identity
provider's subject), and the administrators' mapping of organisation claims."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.core.models import utcnow
from workspace.extensions import db


class ExternalIdentity(db.Model):
    """`user` is `subject` at `provider` ("ldap", "oidc:proconnect"): the first sign-in
    there links them, the next ones find the account through this row."""

    __tablename__ = "external_identities"
    __table_args__ = (UniqueConstraint("provider", "subject"),
                      UniqueConstraint("user_id", "provider"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class OrganisationClaim(db.Model):
    """An identity provider's organisation value (ProConnect's `siret`, a directory's
    `department`) that stands for one of our organisations; filled by administrators."""

    __tablename__ = "organisation_claims"
    __table_args__ = (UniqueConstraint("provider", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)

    organisation: Mapped[Organisation] = relationship()
