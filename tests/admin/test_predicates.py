"""Administration predicates, without HTTP: administrators only, coordinators included out."""
from __future__ import annotations

from workspace.admin import access


def test_only_administrators_administer(roles):
    assert roles.who(access.can_administer) == {"admin"}
    assert roles.who(access.can_administer_account, roles.member) == {"admin"}
    assert not access.can_administer(None)
