"""Fixtures of the needs tests: the same network as the workshop tests, meetings scheduled
through the meetings service."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.workshops.conftest import World, build_world
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.meetings import service as meetings


@pytest.fixture
def world(make_user, make_network, make_organisation) -> World:
    return build_world(make_user, make_network, make_organisation)


@pytest.fixture
def make_meeting(world):
    def make(title="Réunion de rentrée", starts_in=timedelta(days=10), network=None,
             **over):
        starts_at = utcnow().replace(microsecond=0) + starts_in
        meeting = meetings.save_meeting(world.coordinator, network or world.network, None,
                                        meetings.MeetingData(
                                            title=title, description="",
                                            starts_at=starts_at,
                                            ends_at=starts_at + timedelta(hours=2),
                                            location="Salle des fêtes"))
        for name, value in over.items():
            setattr(meeting, name, value)
        db.session.commit()
        return meeting

    return make


def url(world, path: str = "/") -> str:
    return f"/n/{world.network.slug}/needs{path}"
