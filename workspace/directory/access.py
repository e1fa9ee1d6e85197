"""Who may see whom in the directory, and change which profile."""
from __future__ import annotations

from workspace.auth.models import User
from workspace.networks.access import is_administrator


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_see_person(viewer: User | None, person: User) -> bool:
    """Every signed-in user sees active accounts; a closed account only administrators."""
    return _signed_in(viewer) and (person.is_active or is_administrator(viewer))


def can_edit_profile(viewer: User | None, person: User) -> bool:
    """One's own profile only (administrators go through the administration)."""
    return _signed_in(viewer) and viewer.id == person.id


PREDICATES = (can_see_person, can_edit_profile)
