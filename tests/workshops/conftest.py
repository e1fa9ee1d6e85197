"""Fixtures of the workshop tests: a private network whose members come from three communes,
a coordinator, an outsider of another network, and workshops scheduled through the service."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.workshops import service
from workspace.workshops.models import Workshop


@dataclass
class World:
    network: object
    coordinator: object
    alice: object  # Coulaines
    bob: object  # Coulaines
    chloe: object  # Allonnes
    david: object  # Sargé-lès-le-Mans
    outsider: object


def build_world(make_user, make_network, make_organisation) -> World:
    """The scene of the workshop tests, shared by the inventory and needs tests (each
    conftest.py has its `world` fixture calling this)."""
    coulaines, allonnes = make_organisation("Coulaines"), make_organisation("Allonnes")
    sarge = make_organisation("Sargé-lès-le-Mans")
    users = dict(
        coordinator=make_user(first_name="Claire", last_name="Moreau"),
        alice=make_user(first_name="Alice", last_name="Martin", organisation_id=coulaines.id),
        bob=make_user(first_name="Bob", last_name="Durand", organisation_id=coulaines.id),
        chloe=make_user(first_name="Chloé", last_name="Petit", organisation_id=allonnes.id),
        david=make_user(first_name="David", last_name="Roux", organisation_id=sarge.id),
        outsider=make_user(first_name="Oscar", last_name="Dehors"))
    network = make_network("Réseau informatique",
                           members=[users[n] for n in ("alice", "bob", "chloe", "david")],
                           coordinators=[users["coordinator"]])
    make_network("Réseau patrimoine", members=[users["outsider"]])
    return World(network=network, **users)


@pytest.fixture
def world(make_user, make_network, make_organisation) -> World:
    return build_world(make_user, make_network, make_organisation)


@pytest.fixture
def make_workshop(world):
    """A workshop scheduled through the service (committed). Dates are relative to now:
    `starts_in` (default 30 days), lasting 3 hours, registrations open until the start."""

    def make(title="Prise en main de la GED", capacity=10, seats_per_commune=None,
             starts_in=timedelta(days=30), deadline=None, **over) -> Workshop:
        starts_at = utcnow().replace(microsecond=0) + starts_in
        data = service.WorkshopData(
            theme=over.pop("theme", "GED"), title=title,
            description=over.pop("description", "Découverte de la **GED**."),
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=3),
            location=over.pop("location", "Hôtel de ville de Coulaines"), capacity=capacity,
            seats_per_commune=seats_per_commune,
            registration_deadline=deadline if deadline is not None else starts_at)
        workshop = service.save_workshop(world.coordinator, world.network, None, data)
        db.session.commit()
        return workshop

    return make


def url(world, path: str = "/") -> str:
    return f"/n/{world.network.slug}/workshops{path}"
