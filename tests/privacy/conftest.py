"""A small world for the privacy tests: a private network where Hélène Durand (who will
leave) and Marc Petit work with a coordinator, another network, an administrator."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from workspace.core.jobs import work_once
from workspace.documents import uploads
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.meetings import service as meetings
from workspace.workshops import service as workshops


@dataclass
class World:
    leaver: object
    colleague: object
    coordinator: object
    outsider: object
    admin: object
    network: object
    other: object
    commune: object
    category: object


@pytest.fixture
def world(make_user, make_network, make_organisation):
    commune = make_organisation("Allonnes")
    leaver = make_user(organisation_id=commune.id, first_name="Hélène", last_name="Durand",
                       phone="02 43 00 11 22", job_title="Correspondante informatique")
    colleague = make_user(organisation_id=commune.id, first_name="Marc", last_name="Petit")
    coordinator = make_user(organisation_id=commune.id, first_name="Claire",
                            last_name="Lemoine")
    outsider = make_user(first_name="Paul", last_name="Ailleurs")
    admin = make_user(is_admin=True, first_name="Anne", last_name="Admin")
    network = make_network("Informatique", members=[leaver, colleague],
                           coordinators=[coordinator])
    other = make_network("Bâtiments", members=[outsider])
    category = forums.save_category(coordinator, network, None, name="Messagerie")
    db.session.commit()
    return World(leaver, colleague, coordinator, outsider, admin, network, other, commune,
                 category)


def topic(world, author, title: str, body: str):
    post = forums.create_topic(author, world.category, title, body)
    db.session.commit()
    return post


def upload(world, user, filename: str, data: bytes):
    report = uploads.upload_documents(user, world.network, None,
                                      [(filename, uploads.incoming_bytes(data))])
    db.session.commit()
    assert report.created, report.refused
    return report.created[0]


def meeting(world, title: str = "Comité informatique"):
    start = datetime(2030, 3, 5, 9, tzinfo=UTC)
    created = meetings.save_meeting(world.coordinator, world.network, None, meetings.MeetingData(
        title=title, description="", starts_at=start, ends_at=start + timedelta(hours=2),
        location="Mairie d'Allonnes"))
    db.session.commit()
    return created


def workshop(world, title: str = "Atelier sauvegardes"):
    start = datetime(2030, 4, 5, 9, tzinfo=UTC)
    created = workshops.save_workshop(world.coordinator, world.network, None,
                                      workshops.WorkshopData(
                                          theme="Sécurité", title=title, description="",
                                          starts_at=start, ends_at=start + timedelta(hours=3),
                                          location="Salle 2", capacity=10,
                                          seats_per_commune=None,
                                          registration_deadline=start - timedelta(days=1)))
    db.session.commit()
    return created


def run_jobs() -> None:
    """What the worker would do: e-mails, extraction, search indexing."""
    work_once()


@pytest.fixture
def signed_in(client, login):
    """signed_in(user) -> the client, signed in as that user (signing out the previous)."""
    current = {}

    def sign_in(user):
        if current.get("user") is not user:
            client.post("/logout")
            login(client, user)
            current["user"] = user
        return client

    return sign_in
