"""Users, their sign-in sessions and their single-use tokens (reset, invitation)."""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workspace.core.models import utcnow
from workspace.extensions import db

if TYPE_CHECKING:
    from workspace.communes.models import Organisation

FUNCTION_IT, FUNCTION_TECH_DIRECTOR, FUNCTION_BUILDING = (
    "it_correspondent", "technical_director", "building_correspondent")
FUNCTION_DPO, FUNCTION_ELECTED, FUNCTION_OTHER = "dpo", "elected", "other"
NETWORK_FUNCTIONS = (FUNCTION_IT, FUNCTION_TECH_DIRECTOR, FUNCTION_BUILDING, FUNCTION_DPO,
                     FUNCTION_ELECTED, FUNCTION_OTHER)

PURPOSE_RESET, PURPOSE_INVITATION = "reset", "invitation"


def hash_token(token: str) -> str:
    """Tokens are stored hashed: a database leak does not hand out working links."""
    return hashlib.sha256(token.encode()).hexdigest()


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    handle: Mapped[str | None] = mapped_column(String(60), unique=True, index=True)  # @mentions
    password_hash: Mapped[str | None] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    job_title: Mapped[str] = mapped_column(String(160), default="")
    network_function: Mapped[str] = mapped_column(String(32), default=FUNCTION_OTHER)
    phone: Mapped[str] = mapped_column(String(40), default="")
    locale: Mapped[str] = mapped_column(String(8), default="fr")
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    # an administrator may turn password sign-in off for one who signs in through the
    # directory or an identity provider (docs/operations.md, "Single sign-on")
    password_sign_in: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    invited_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    # Flask-Login protocol. The id handed to Flask-Login is the sign-in session's token,
    # set by the user loader, so that one session can be ended without ending the others.
    is_anonymous = False
    is_authenticated = True
    current_session_token = None  # plain attribute, not a column

    def get_id(self) -> str | None:
        return self.current_session_token

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class LoginSession(db.Model):
    """One signed-in browser. Deleting the row signs that browser out, cookies and all."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    is_remembered: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    # "" for a password; "ldap" or "oidc:<name>" for a directory or an identity provider,
    # whose package checks now and then that the account is still there (`checked_at`)
    provider: Mapped[str] = mapped_column(String(60), default="", server_default="")
    checked_at: Mapped[datetime | None]
    # the provider's ID token, sent back as `id_token_hint` when signing out there
    id_token: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship()


class UserToken(db.Model):
    """A single-use, expiring token sent by e-mail (password reset, invitation)."""

    __tablename__ = "user_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
