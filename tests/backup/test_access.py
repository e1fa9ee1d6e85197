"""Network export predicate, without HTTP: coordinators and administrators only."""
from __future__ import annotations

from tests.roles import MANAGERS
from workspace.backup import access
from workspace.extensions import db


def test_only_managers_take_the_whole_network_away(roles):
    assert roles.who(access.can_export_network, roles.network) == MANAGERS
    roles.network.is_private = False
    db.session.commit()
    assert roles.who(access.can_export_network, roles.network) == MANAGERS
