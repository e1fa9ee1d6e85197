"""The five kinds of people of the predicate tests, without HTTP: a member and a coordinator
of a private network, an administrator who is not a member, an outsider (member of another
network) and an anonymous visitor."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask_login import AnonymousUserMixin


@dataclass
class Roles:
    network: object
    member: object
    coordinator: object
    admin: object
    outsider: object
    anonymous: object

    def who(self, predicate, *args) -> set[str]:
        """The names of the roles for which `predicate(user, *args)` holds."""
        return {name for name in ("member", "coordinator", "admin", "outsider", "anonymous")
                if predicate(getattr(self, name), *args)}


@pytest.fixture
def roles(make_user, make_network, make_organisation) -> Roles:
    commune = make_organisation("Coulaines")
    member = make_user(first_name="Marie", organisation_id=commune.id)
    coordinator = make_user(first_name="Claire")
    admin = make_user(first_name="Anne", is_admin=True)
    outsider = make_user(first_name="Oscar")
    network = make_network("Réseau informatique", members=[member], coordinators=[coordinator])
    make_network("Réseau patrimoine", members=[outsider])
    return Roles(network, member, coordinator, admin, outsider, AnonymousUserMixin())


EVERYONE_INSIDE = {"member", "coordinator", "admin"}
MANAGERS = {"coordinator", "admin"}
