"""Fixtures of the activity and dashboard tests: a private network with a member, a
coordinator and content of every kind written through the features' services; another
network with its own member (the outsider) and its own content."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from workspace.core.models import utcnow
from workspace.documents import service as documents
from workspace.documents import uploads
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.meetings import service as meetings
from workspace.needs import service as needs
from workspace.workshops import service as workshops


@dataclass
class Space:
    """A network with its people and one category."""

    network: object
    member: object
    coordinator: object
    category: object
    colleague: object  # another member, of the same commune
    made: dict = field(default_factory=dict)


def topic(space: Space, title: str = "Quota des boîtes", body: str = "Quel quota ?",
          author=None):
    post = forums.create_topic(author or space.member, space.category, title, body)
    db.session.commit()
    return post


def reply(space: Space, post, body: str = "50 Go chez nous.", author=None):
    new = forums.reply(author or space.coordinator, post.topic, body)
    db.session.commit()
    return new


def document(space: Space, name: str = "procedure.txt", content: bytes = b"Procedure",
             folder=None, author=None):
    [made] = uploads.upload_documents(author or space.member, space.network, folder, [
        (name, uploads.incoming_bytes(content))]).created
    db.session.commit()
    return made


def new_version(space: Space, made, content: bytes = b"Procedure v2", comment: str = ""):
    version = uploads.upload_version(space.member, made, "procedure.txt",
                                     uploads.incoming_bytes(content), comment)
    db.session.commit()
    return version


def meeting(space: Space, title: str = "Réunion de rentrée", starts_in=timedelta(days=10)):
    start = utcnow().replace(microsecond=0) + starts_in
    made = meetings.save_meeting(space.coordinator, space.network, None, meetings.MeetingData(
        title=title, description="Ordre du jour à venir", starts_at=start,
        ends_at=start + timedelta(hours=2), location="Le Mans"))
    db.session.commit()
    return made


def workshop(space: Space, title: str = "Chaudières", starts_in=timedelta(days=20)):
    start = utcnow().replace(microsecond=0) + starts_in
    made = workshops.save_workshop(space.coordinator, space.network, None, workshops.WorkshopData(
        theme="Énergie", title=title, description="Visite de chaufferie", starts_at=start,
        ends_at=start + timedelta(hours=2), location="Mulsanne", capacity=10,
        seats_per_commune=None, registration_deadline=start - timedelta(days=1)))
    db.session.commit()
    return made


def need(space: Space, title: str = "Formation GED", author=None):
    made = needs.create_need(author or space.member, space.network, title,
                             "Pour tous les agents")
    db.session.commit()
    return made


def new_space(make_user, make_network, make_organisation, name: str, commune: str) -> Space:
    organisation = make_organisation(commune)
    member = make_user(organisation_id=organisation.id)
    colleague = make_user(organisation_id=organisation.id)
    coordinator = make_user()
    network = make_network(name, members=[member, colleague], coordinators=[coordinator])
    category = forums.save_category(coordinator, network, None, name="Général")
    db.session.commit()
    return Space(network, member, coordinator, category, colleague)


# The two networks of the scene, for the `space` and `other` fixtures here and in
# tests/home/conftest.py (`signed_in` comes from tests/conftest.py).
SPACE = ("Réseau informatique", "Coulaines")
OTHER = ("Réseau patrimoine", "Allonnes")


@pytest.fixture
def space(make_user, make_network, make_organisation) -> Space:
    return new_space(make_user, make_network, make_organisation, *SPACE)


@pytest.fixture
def other(make_user, make_network, make_organisation) -> Space:
    return new_space(make_user, make_network, make_organisation, *OTHER)


def delete_document(space: Space, made) -> None:
    documents.trash_document(space.member, made)
    db.session.commit()
