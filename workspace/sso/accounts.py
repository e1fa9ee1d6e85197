"""From what a directory or an identity provider asserts to one of our accounts.

The rules (docs/operations.md, "Single sign-on"):
- a known link (provider, subject) gives its account;
- otherwise the account with that e-mail is linked, only when the provider asserts the
  e-mail as verified (or the directory is trusted by configuration);
- otherwise the person is refused, unless the administrator chose to create accounts
  (`SSO_CREATE_ACCOUNTS`): then one is created without a network, its organisation found
  through the administrators' mapping of the organisation claim;
- a disabled account is refused whatever the way in.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workspace.auth.models import User
from workspace.auth.service import SignInRefused, find_user_by_email, normalise_email
from workspace.core.models import utcnow
from workspace.core.security_events import announce
from workspace.extensions import db
from workspace.sso.models import ExternalIdentity, OrganisationClaim


@dataclass
class Assertion:
    """What a provider says of the person signing in."""

    provider: str  # "ldap", "oidc:<name>"
    subject: str  # stable identifier there (entryUUID, objectGUID, OIDC `sub`)
    email: str
    email_verified: bool
    first_name: str = ""
    last_name: str = ""
    organisation: str = ""  # the organisation claim's value, mapped by administrators
    groups: set[str] = field(default_factory=set)  # directory groups (DNs)


def account_for(assertion: Assertion) -> User:
    """The account this assertion signs in (linked, found or created); SignInRefused."""
    link = db.session.scalar(select(ExternalIdentity).where(
        ExternalIdentity.provider == assertion.provider,
        ExternalIdentity.subject == assertion.subject))
    if link is not None:
        user = link.user
    else:
        user = _link_or_create(assertion)
        link = ExternalIdentity(user=user, provider=assertion.provider,
                                subject=assertion.subject)
        db.session.add(link)
    if not user.is_active:
        raise SignInRefused(_("Ce compte est désactivé. Adressez-vous à un administrateur."),
                            "account_disabled")
    link.last_used_at = utcnow()
    try:
        db.session.flush()
    except IntegrityError:  # the account is linked to another subject of this provider
        db.session.rollback()
        raise SignInRefused(_("Ce compte est déjà relié à une autre identité chez ce "
                              "fournisseur. Adressez-vous à un administrateur."),
                            "linked_elsewhere") from None
    return user


def _link_or_create(assertion: Assertion) -> User:
    email = normalise_email(assertion.email)
    if not email:
        raise SignInRefused(_("Votre fournisseur d'identité n'a pas transmis d'adresse "
                              "e-mail : la connexion est impossible."), "no_email")
    if not assertion.email_verified:
        raise SignInRefused(_("Votre fournisseur d'identité n'atteste pas votre adresse "
                              "e-mail : la connexion est refusée."), "email_not_verified")
    user = find_user_by_email(email)
    if user is not None:
        return user
    if not current_app.config["SSO_CREATE_ACCOUNTS"]:
        raise SignInRefused(_("Aucun compte de l'espace ne correspond à %(email)s. Demandez "
                              "une invitation au coordinateur de votre réseau.", email=email),
                            "unknown_person")
    user = User(email=email, first_name=(assertion.first_name or "")[:80],
                last_name=(assertion.last_name or "")[:80], password_hash=None,
                organisation_id=organisation_for(assertion.provider, assertion.organisation))
    db.session.add(user)
    db.session.flush()
    announce("account_created_by_provider", subject=user, provider=assertion.provider)
    return user


def organisation_for(provider: str, value: str) -> int | None:
    """Our organisation for a provider's organisation claim, as administrators mapped it
    (for this provider, or for every provider: "*")."""
    if not value:
        return None
    rows = db.session.execute(select(OrganisationClaim.provider,
                                     OrganisationClaim.organisation_id).where(
        OrganisationClaim.value == value.strip(),
        OrganisationClaim.provider.in_((provider, "*")))).all()
    chosen = sorted(rows, key=lambda row: row[0] == "*")
    return chosen[0][1] if chosen else None
