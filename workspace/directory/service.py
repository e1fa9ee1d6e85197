"""Queries of the directory. A private network's membership shows only to who may see it."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from workspace.auth.models import NETWORK_FUNCTIONS, User
from workspace.core.text import matches_all, query_words
from workspace.extensions import db
from workspace.networks.access import visible_network_ids
from workspace.networks.models import Membership, Network


@dataclass
class DirectoryQuery:
    text: str = ""
    organisation_id: int | None = None
    network_id: int | None = None
    function: str | None = None


def search_people(viewer: User, query: DirectoryQuery, limit: int = 500) -> list[User]:
    """Active people matching every given criterion, by name."""
    statement = select(User).where(User.is_active.is_(True), User.password_hash.is_not(None))
    if query.organisation_id:
        statement = statement.where(User.organisation_id == query.organisation_id)
    if query.function in NETWORK_FUNCTIONS:
        statement = statement.where(User.network_function == query.function)
    if query.network_id:
        if query.network_id not in visible_network_ids(viewer):
            return []
        statement = statement.where(User.id.in_(select(Membership.user_id).where(
            Membership.network_id == query.network_id)))
    people = db.session.scalars(statement.order_by(User.last_name, User.first_name)).all()
    words = query_words(query.text)
    if words:
        people = [person for person in people if matches_all(
            words, person.first_name, person.last_name, person.email, person.job_title,
            person.organisation.name if person.organisation else "")]
    return list(people[:limit])


def visible_networks_of(viewer: User, person: User) -> list[tuple[Network, str]]:
    """The networks of a person that the viewer may see, with the person's role."""
    visible = visible_network_ids(viewer)
    rows = db.session.execute(select(Network, Membership.role).join(
        Membership, Membership.network_id == Network.id).where(
        Membership.user_id == person.id).order_by(Network.name))
    return [(network, role) for network, role in rows if network.id in visible]


def visible_networks(viewer: User) -> list[Network]:
    ids = visible_network_ids(viewer)
    if not ids:
        return []
    return list(db.session.scalars(select(Network).where(Network.id.in_(ids))
                                   .order_by(Network.name)))

