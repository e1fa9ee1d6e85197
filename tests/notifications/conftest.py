"""Fixtures of the notification tests: a private network (Alice, Bob, a coordinator), an
outsider of another network, a forum category; helpers to read what was sent."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from workspace.core.jobs import enqueue
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.networks import service as networks
from workspace.networks.models import Membership
from workspace.notifications.models import Notification


@dataclass
class World:
    network: object
    category: object
    alice: object
    bob: object
    coordinator: object
    outsider: object


@pytest.fixture
def world(make_user, make_network, make_organisation) -> World:
    coulaines = make_organisation("Coulaines")
    alice = make_user(first_name="Alice", last_name="Martin", organisation_id=coulaines.id)
    bob = make_user(first_name="Bob", last_name="Durand", organisation_id=coulaines.id)
    coordinator = make_user(first_name="Claire", last_name="Moreau")
    outsider = make_user(first_name="Oscar", last_name="Dehors")
    network = make_network("Réseau informatique", members=[alice, bob],
                           coordinators=[coordinator])
    make_network("Réseau patrimoine", members=[outsider])
    category = forums.save_category(coordinator, network, None, name="Messagerie Zimbra")
    db.session.commit()
    return World(network, category, alice, bob, coordinator, outsider)


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def run_digest(mailbox, kind: str = "daily", slot: str = "2026-11-30") -> list:
    """Run a digest job as the worker would for that slot; return what the server got."""
    mailbox.clear()
    enqueue(f"notifications.{kind}_digest", {"slot": slot})
    db.session.commit()
    return mailbox.deliver()


def remove_member(world: World, user) -> None:
    membership = db.session.scalar(select(Membership).where(
        Membership.network_id == world.network.id, Membership.user_id == user.id))
    networks.remove_member(world.coordinator, membership)
    db.session.commit()


def notifications_of(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id).order_by(Notification.id)))


def unsubscribe_path(message) -> str:
    match = re.fullmatch(r"<http://tilt\.test(/notifications/unsubscribe/[^>]+)>",
                         str(message["List-Unsubscribe"]))
    assert match, message["List-Unsubscribe"]
    return match.group(1)
