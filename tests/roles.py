"""The five kinds of people of the predicate tests, without HTTP: a member and a coordinator
of a private network, an administrator who is not a member, an outsider (member of another
network) and an anonymous visitor. The `roles` fixture that builds them is in
tests/conftest.py."""
from __future__ import annotations

from dataclasses import dataclass


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


EVERYONE_INSIDE = {"member", "coordinator", "admin"}
MANAGERS = {"coordinator", "admin"}
