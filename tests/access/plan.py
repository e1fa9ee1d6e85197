"""Access expectations of the plan routes."""
from __future__ import annotations

from tests.access.common import LOGIN, admin_only, expect, in_network, signed_in  # noqa: F401

EXPECTED: dict[tuple[str, str], dict[str, int]] = {}


def build(users: dict, private, values: dict) -> dict:
    """Create this feature's objects in the private network; return the URL values."""
    return {}
