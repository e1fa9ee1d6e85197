"""Demo date polls: an open one in the IT network (some members have answered, a commune is
still missing), and one in the building network already turned into a meeting."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from workspace.auth.models import User
from workspace.core.models import utcnow
from workspace.core.timezones import local_to_utc, utc_to_local
from workspace.extensions import db
from workspace.meetings.service import MeetingData
from workspace.networks.models import Network
from workspace.polls import service
from workspace.polls.models import MAYBE, NO, YES, Poll

DOMAIN = "demo.lemansmetropole.fr"
OPEN_TITLE = "Réunion de rentrée du réseau informatique"
CONCLUDED_TITLE = "Visite de la chaufferie bois de Mulsanne"


def _user(local: str) -> User:
    return db.session.scalar(select(User).where(User.email == f"{local}@{DOMAIN}"))


def _network(slug: str) -> Network:
    return db.session.scalar(select(Network).where(Network.slug == slug))


def _slot(days: int, start: time, hours: int) -> tuple[datetime, datetime]:
    """A slot `days` from today at `start`, Paris time, lasting `hours`."""
    day = utc_to_local(utcnow()).date() + timedelta(days=days)
    starts = local_to_utc(datetime.combine(day, start))
    return starts, starts + timedelta(hours=hours)


def _open_poll() -> Poll:
    coordinator = _user("coordination.informatique")
    slots = [_slot(21, time(9, 30), 2), _slot(23, time(14, 0), 2), _slot(28, time(9, 30), 2)]
    poll = service.open_poll(coordinator, _network("reseau-informatique"), service.PollData(
        title=OPEN_TITLE, closes_at=slots[0][0] - timedelta(days=7), slots=slots,
        description="Ordre du jour envisagé : bilan de la migration **Zimbra**, sauvegardes, "
                    "recensement des contrats.", location="Hôtel de ville du Mans, salle 3"))
    ids = [slot.id for slot in poll.slots]
    for local, choices, comment in (
            ("informatique.coulaines", (YES, MAYBE, NO), ""),
            ("informatique.allonnes", (YES, NO, YES), "Le 2e créneau tombe sur le conseil."),
            ("informatique.mulsanne", (MAYBE, YES, YES), "")):
        service.answer_poll(_user(local), poll.id, dict(zip(ids, choices, strict=True)),
                            comment)
    return poll


def _concluded_poll() -> Poll:
    coordinator = _user("coordination.patrimoine")
    network = _network("reseau-patrimoine-bati")
    slots = [_slot(35, time(10, 0), 2), _slot(37, time(14, 0), 2)]
    poll = service.open_poll(coordinator, network, service.PollData(
        title=CONCLUDED_TITLE, closes_at=slots[0][0] - timedelta(days=10), slots=slots,
        description="Retour d'expérience sur la chaufferie bois et le réseau de chaleur.",
        location="Chaufferie bois, rue de l'Étang, Mulsanne"))
    ids = [slot.id for slot in poll.slots]
    for local, choices in (("dst.coulaines", (NO, YES)), ("dst.allonnes", (MAYBE, YES)),
                           ("batiments.mulsanne", (YES, YES)),
                           ("batiments.ruaudin", (YES, MAYBE))):
        service.answer_poll(_user(local), poll.id, dict(zip(ids, choices, strict=True)))
    starts, ends = slots[1]
    service.conclude_with_meeting(coordinator, poll.id, ids[1], MeetingData(
        title=CONCLUDED_TITLE, description=poll.description, starts_at=starts, ends_at=ends,
        location=poll.location))
    return poll


def load_demo_polls() -> bool:
    """Create the two demo polls unless they exist (looked up by title)."""
    created = False
    for title, make in ((OPEN_TITLE, _open_poll), (CONCLUDED_TITLE, _concluded_poll)):
        if db.session.scalar(select(Poll.id).where(Poll.title == title)) is None:
            make()
            created = True
    return created
