"""Who may use the privacy tools: each member reads their own data; administrators
anonymise departed members, read the audit log and edit the legal pages."""
from __future__ import annotations

from workspace.auth.models import User
from workspace.networks.access import is_administrator


def can_anonymise_accounts(user: User | None) -> bool:
    return is_administrator(user)


def can_anonymise(user: User | None, person: User) -> bool:
    """Administrators anonymise a departed member, never their own account (the service
    says so in words when asked anyway)."""
    return can_anonymise_accounts(user) and person.id != user.id


def can_read_audit_log(user: User | None) -> bool:
    return is_administrator(user)


def can_edit_legal_pages(user: User | None) -> bool:
    """Edit the legal notice, the privacy policy... and read their history."""
    return is_administrator(user)


PREDICATES = (can_anonymise_accounts, can_anonymise, can_read_audit_log, can_edit_legal_pages)
