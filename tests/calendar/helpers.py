"""Helpers shared by the calendar and export tests: Paris times, meetings and workshops made
through their services, and the network and people of both (`people` in each conftest.py)."""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

from workspace.core.timezones import local_to_utc
from workspace.extensions import db
from workspace.meetings import service as meetings
from workspace.meetings.service import AgendaLine, MeetingData
from workspace.workshops import service as workshops
from workspace.workshops.models import Registration
from workspace.workshops.service import WorkshopData

TITLE = "Réunion du réseau informatique à Coulaines"


def paris(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Paris, as UTC (what the database keeps)."""
    return local_to_utc(datetime(year, month, day, hour, minute))


def make_meeting(coordinator, network, *, title: str = TITLE, starts_at: datetime | None = None,
                 hours: int = 2, location: str = "Mairie de Coulaines, salle du conseil",
                 video_url: str = "", agenda=(), description: str = ""):
    starts_at = starts_at or paris(2017, 3, 26, 10)
    data = MeetingData(title=title, description=description, starts_at=starts_at,
                       ends_at=starts_at + timedelta(hours=hours), location=location,
                       video_url=video_url,
                       agenda=[AgendaLine(*line) for line in agenda])
    meeting = meetings.save_meeting(coordinator, network, None, data)
    db.session.commit()
    return meeting


def make_workshop(coordinator, network, *, title: str = "Atelier sauvegardes et PRA",
                  starts_at: datetime, capacity: int = 10, location: str = "Le Mans, Hôtel de "
                  "Ville", registration_deadline: datetime | None = None):
    data = WorkshopData(theme="Sauvegarde", title=title, description="Les bonnes pratiques.",
                        starts_at=starts_at, ends_at=starts_at + timedelta(hours=3),
                        location=location, capacity=capacity, seats_per_commune=None,
                        registration_deadline=registration_deadline or starts_at)
    workshop = workshops.save_workshop(coordinator, network, None, data)
    db.session.commit()
    return workshop


def register(user, workshop):
    registration = workshops.register(user, workshop.id)
    db.session.commit()
    return registration


def add_registration(user, workshop, status: str) -> Registration:
    """For workshops whose registrations are already closed (past dates)."""
    registration = Registration(workshop_id=workshop.id, user_id=user.id, status=status,
                                organisation_id=user.organisation_id)
    db.session.add(registration)
    db.session.commit()
    return registration


def answer(user, meeting, value: str) -> None:
    meetings.answer(user, meeting, value)
    db.session.commit()


def make_people(make_user, make_network, make_organisation) -> SimpleNamespace:
    """A private network of Coulaines and Le Mans people, its coordinator, and a member
    (coordinator) of another network."""
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
