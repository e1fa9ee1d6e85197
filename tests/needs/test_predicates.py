"""Need predicates, without HTTP: members express and share needs, coordinators answer."""
from __future__ import annotations

from tests.roles import EVERYONE_INSIDE, MANAGERS
from workspace.extensions import db
from workspace.needs import access, service


def test_members_express_and_share_coordinators_answer(roles):
    need = service.create_need(roles.member, roles.network, "Former à la GED", "")
    db.session.commit()
    assert roles.who(access.can_see_need, need) == EVERYONE_INSIDE
    assert roles.who(access.can_express_need, roles.network) == EVERYONE_INSIDE
    assert roles.who(access.can_support_need, need) == EVERYONE_INSIDE
    assert roles.who(access.can_answer_need, need) == MANAGERS


def test_readers_of_an_open_network_read_the_register_only(roles):
    need = service.create_need(roles.member, roles.network, "Former à la GED", "")
    roles.network.is_private = False
    db.session.commit()
    assert "outsider" in roles.who(access.can_see_need, need)
    assert "outsider" not in roles.who(access.can_support_need, need)
    assert "outsider" not in roles.who(access.can_express_need, roles.network)
