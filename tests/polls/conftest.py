"""A network of three communes for the poll tests: a coordinator and three members, an
outsider of another network, an administrator; `make_poll` opens a poll in it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from workspace.extensions import db
from workspace.polls import service


@dataclass
class Scene:
    network: object
    coordinator: object  # Allonnes
    paul: object  # Coulaines
    marie: object  # Mulsanne
    luc: object  # Allonnes
    outsider: object
    admin: object
    communes: dict


def later(days: float = 10, hour: int = 9) -> datetime:
    """A moment `days` from now, on the hour (UTC)."""
    return (datetime.now(UTC) + timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                              microsecond=0)


@pytest.fixture
def scene(make_user, make_network, make_organisation) -> Scene:
    communes = {name: make_organisation(name) for name in ("Allonnes", "Coulaines", "Mulsanne")}
    coordinator = make_user(first_name="Claire", last_name="Martin",
                            organisation_id=communes["Allonnes"].id)
    paul = make_user(first_name="Paul", last_name="Leroy", organisation_id=communes["Coulaines"].id)
    marie = make_user(first_name="Marie", last_name="Roux", organisation_id=communes["Mulsanne"].id)
    luc = make_user(first_name="Luc", last_name="Petit", organisation_id=communes["Allonnes"].id)
    outsider = make_user(first_name="Oscar")
    admin = make_user(first_name="Anne", is_admin=True)
    network = make_network("Réseau informatique", members=[paul, marie, luc],
                           coordinators=[coordinator])
    make_network("Réseau voirie", members=[outsider])
    return Scene(network, coordinator, paul, marie, luc, outsider, admin, communes)


def poll_data(**over) -> service.PollData:
    first = later(10)
    values = {"title": "Réunion de rentrée", "closes_at": later(5),
              "slots": [(first, first + timedelta(hours=2)),
                        (first + timedelta(days=1), first + timedelta(days=1, hours=2)),
                        (first + timedelta(days=2), first + timedelta(days=2, hours=2))],
              "location": "Mairie d'Allonnes"}
    values.update(over)
    return service.PollData(**values)


@pytest.fixture
def make_poll(scene):
    def make(**over):
        poll = service.open_poll(scene.coordinator, scene.network, poll_data(**over))
        db.session.commit()
        return poll

    return make
