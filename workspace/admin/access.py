"""Who may use the administration pages: administrators, and no one else."""
from __future__ import annotations

from workspace.auth.models import User
from workspace.networks.access import is_administrator


def can_administer(user: User | None) -> bool:
    """Accounts, invitations, imports, organisations and background jobs."""
    return is_administrator(user)


def can_administer_account(user: User | None, person: User) -> bool:
    """Open a person's account in the administration (from the directory, say)."""
    return can_administer(user)


PREDICATES = (can_administer, can_administer_account)
