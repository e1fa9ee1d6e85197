"""Network primitives and predicates, without HTTP, and their sharing with templates."""
from __future__ import annotations

from flask import render_template_string

from tests.roles import EVERYONE_INSIDE, MANAGERS
from workspace.extensions import db
from workspace.networks import access


def test_the_primitives_for_each_role(roles):
    network = roles.network
    assert roles.who(access.can_view_network, network) == EVERYONE_INSIDE
    assert roles.who(access.can_contribute, network) == EVERYONE_INSIDE
    assert roles.who(access.can_manage_network, network) == MANAGERS
    assert roles.who(access.is_member, network) == {"member", "coordinator"}
    assert roles.who(access.is_administrator) == {"admin"}
    assert roles.who(access.can_create_network) == {"admin"}
    network.is_private = False
    db.session.commit()
    assert roles.who(access.can_view_network, network) == EVERYONE_INSIDE | {"outsider"}
    assert "outsider" not in roles.who(access.can_contribute, network)


def test_templates_ask_the_same_predicates_bound_to_the_signed_in_user(app, roles):
    """A feature's predicates reach templates through its init_app, answering for the
    signed-in user; outside a request (e-mails) they answer for no one."""
    from flask_login import login_user

    page = ("{{ can_manage_meeting is defined }} {{ can_register is defined }} "
            "{{ can_edit_tutorial is defined }} {{ can_schedule_meetings(network) }}")
    assert render_template_string(page, network=roles.network) == "True True True False"
    for user, expected in ((roles.coordinator, "True"), (roles.member, "False")):
        with app.test_request_context():
            login_user(user)
            assert render_template_string("{{ can_schedule_meetings(network) }}",
                                          network=roles.network) == expected
