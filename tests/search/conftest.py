"""A small world for search tests: a private network with a member, a coordinator and
some content, another network with its own member (the outsider), and an administrator."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from workspace.core.jobs import work_once
from workspace.documents import uploads
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.meetings import service as meetings
from workspace.needs import service as needs
from workspace.workshops import service as workshops


@dataclass
class World:
    member: object
    coordinator: object
    outsider: object
    admin: object
    network: object
    other: object
    commune: object


@pytest.fixture
def world(make_user, make_network, make_organisation):
    commune = make_organisation("Coulaines")
    member = make_user(organisation_id=commune.id, first_name="Aline", last_name="Martin")
    coordinator = make_user(organisation_id=commune.id)
    outsider = make_user(organisation_id=commune.id)
    admin = make_user(is_admin=True)
    network = make_network("Bâtiments", members=[member], coordinators=[coordinator])
    other = make_network("Informatique", members=[outsider])
    return World(member, coordinator, outsider, admin, network, other, commune)


def index_now() -> None:
    """Run the queued jobs (extraction, indexing) as the worker would."""
    work_once()


def post(world, body: str, title: str = "Un sujet", network=None, author=None):
    network = network or world.network
    coordinator = world.coordinator if network is world.network else world.admin
    category = forums.save_category(coordinator, network, None, name=f"Catégorie {title}")
    created = forums.create_topic(author or world.member, category, title, body)
    db.session.commit()
    return created


def document(world, filename: str, content: str, network=None, user=None):
    report = uploads.upload_documents(user or world.member, network or world.network, None,
                                      [(filename, uploads.incoming_bytes(content.encode()))])
    db.session.commit()
    assert report.created, report.refused
    return report.created[0]


def meeting(world, title: str = "Réunion de rentrée", description: str = "", agenda=()):
    start = datetime(2030, 3, 5, 9, tzinfo=UTC)
    data = meetings.MeetingData(title=title, description=description, starts_at=start,
                                ends_at=start + timedelta(hours=2), location="Mairie",
                                agenda=[meetings.AgendaLine(line) for line in agenda])
    created = meetings.save_meeting(world.coordinator, world.network, None, data)
    db.session.commit()
    return created


def workshop(world, title: str = "Atelier", notes: str = ""):
    start = datetime(2030, 4, 5, 9, tzinfo=UTC)
    data = workshops.WorkshopData(theme="Énergie", title=title, description="", starts_at=start,
                                  ends_at=start + timedelta(hours=3), location="Salle",
                                  capacity=10, seats_per_commune=None,
                                  registration_deadline=start - timedelta(days=1))
    created = workshops.save_workshop(world.coordinator, world.network, None, data)
    db.session.commit()
    if notes:
        workshops.save_notes(world.coordinator, created, notes)
        db.session.commit()
    return created


def need(world, title: str, description: str = ""):
    created = needs.create_need(world.member, world.network, title, description)
    db.session.commit()
    return created


def results_of(page: str) -> str:
    """The list of results (the query box and filter links repeat the words)."""
    return page.split('id="search-results-title"', 1)[1].split("</section>", 1)[0]
