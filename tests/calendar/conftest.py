"""Fixtures of the calendar tests: a private network of Coulaines and Le Mans people, its
coordinator, and a member of another network."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.calendar.helpers import signed_in  # noqa: F401 - fixture


@pytest.fixture
def people(make_user, make_network, make_organisation):
    coulaines = make_organisation("Coulaines")
    le_mans = make_organisation("Le Mans")
    alice = make_user(first_name="Alice", last_name="Martin", organisation_id=coulaines.id)
    bob = make_user(first_name="Bob", last_name="Durand", organisation_id=le_mans.id)
    chloe = make_user(first_name="Chloé", last_name="Lefèvre", organisation_id=coulaines.id)
    coordinator = make_user(first_name="Claire", last_name="Moreau")
    outsider = make_user(first_name="Oscar", last_name="Dehors")
    network = make_network("Réseau informatique", members=[alice, bob, chloe],
                           coordinators=[coordinator])
    other = make_network("Réseau patrimoine", coordinators=[outsider])
    return SimpleNamespace(coulaines=coulaines, le_mans=le_mans, alice=alice, bob=bob,
                           chloe=chloe, coordinator=coordinator, outsider=outsider,
                           network=network, other=other)
