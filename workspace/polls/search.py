"""How date polls become search documents: open polls, by title and description.

The index holds only what every reader of a network may see (docs/search.md), and polls are
for members only: so only the open polls of private networks (whose readers are their
members and the administrators) are indexed. A poll that closes, is concluded or cancelled,
or whose network becomes open, leaves the index."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workspace.auth.models import User
from workspace.extensions import db
from workspace.networks.models import Network
from workspace.polls.models import OPEN, Poll
from workspace.search.build import authored_by, join_text, object_path, person
from workspace.search.registry import Dependency, SearchDoc, register


def poll_document(poll: Poll) -> SearchDoc | None:
    network = db.session.get(Network, poll.network_id)
    if poll.status != OPEN or network is None or not network.is_private:
        return None
    author, commune = person(poll.organizer)
    return SearchDoc("poll", poll.id, poll.network_id, poll.title,
                     join_text(poll.description, poll.location),
                     object_path("polls.poll_detail", poll.network_id, poll_id=poll.id),
                     author, commune, poll.created_at)


def _polls_of_network(network: Network) -> list[int]:
    return list(db.session.scalars(select(Poll.id).where(Poll.network_id == network.id)))


def init_search(app: Flask) -> None:
    """Make open polls findable in this application."""
    register(app, "poll", Poll, poll_document, label=_l("Sondage de date"),
             load_options=[selectinload(Poll.organizer).selectinload(User.organisation)],
             fields=("title", "description", "location", "status", "organizer_id",
                     "network_id"),
             depends=[authored_by(Poll.organizer_id),
                      Dependency(Network, _polls_of_network, ("is_private",))])
