"""A private network with two members and a coordinator, another network with its own
member (the outsider), and helpers to write tutorials through the service or the pages."""
from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from tests.documents.conftest import png_bytes
from workspace.extensions import db
from workspace.tutorials import service

BODY = ("Dans Zimbra, un filtre range le courrier à son arrivée.\n\n"
        "## Créer un filtre\n\n1. Ouvrez **Préférences**.\n2. Choisissez *Filtres*.\n")


@dataclass
class World:
    network: object
    other: object
    alice: object  # member
    bruno: object  # member
    coordinator: object
    outsider: object  # member of the other network
    admin: object


@pytest.fixture
def world(make_user, make_network, make_organisation):
    commune = make_organisation("Coulaines")
    alice = make_user(first_name="Alice", last_name="Martin", organisation_id=commune.id)
    bruno = make_user(first_name="Bruno", last_name="Petit", organisation_id=commune.id)
    coordinator = make_user(first_name="Claire", last_name="Dubois")
    outsider = make_user(first_name="Olivier", last_name="Roux")
    admin = make_user(is_admin=True)
    network = make_network("Informatique", members=[alice, bruno], coordinators=[coordinator])
    other = make_network("Bâtiments", members=[outsider])
    return World(network, other, alice, bruno, coordinator, outsider, admin)


def url(network, path: str = "/") -> str:
    return f"/n/{network.slug}/tutoriels{path}"


def write(world, title: str = "Filtres dans Zimbra", body: str = BODY, author=None,
          parent=None):
    tutorial = service.create_tutorial(author or world.alice, world.network, title, body,
                                       parent)
    db.session.commit()
    return tutorial


def upload(client, network, tutorial, *files):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(url(network, f"/{tutorial.id}/attachments"), data=data,
                       content_type="multipart/form-data")


__all__ = ["BODY", "World", "png_bytes", "upload", "url", "write"]
