"""Fixtures of the forum tests: a private network with members, a coordinator, an outsider
and a category."""
from __future__ import annotations

import pytest

from workspace.extensions import db
from workspace.forums import service
from workspace.notifications.kinds import IMMEDIATE
from workspace.notifications.service import set_preference


@pytest.fixture
def forum(make_user, make_network, make_organisation):
    """(network, category, alice (member), bob (member), coordinator, outsider)"""
    coulaines = make_organisation("Coulaines")
    alice = make_user(first_name="Alice", last_name="Martin", organisation_id=coulaines.id)
    bob = make_user(first_name="Bob", last_name="Durand")
    coordinator = make_user(first_name="Claire", last_name="Moreau")
    outsider = make_user(first_name="Oscar", last_name="Dehors")
    network = make_network("Réseau informatique", members=[alice, bob],
                           coordinators=[coordinator])
    make_network("Réseau patrimoine", members=[outsider])
    category = service.save_category(coordinator, network, None, name="Messagerie Zimbra")
    # Forum posts go to the daily digest by default (notifications); these tests are about
    # the e-mails sent at once, which their people chose.
    for user in (alice, bob, coordinator, outsider):
        set_preference(user, "forum_post", IMMEDIATE)
    db.session.commit()
    return network, category, alice, bob, coordinator, outsider
