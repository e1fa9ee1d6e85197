"""How date polls become search documents: open polls, by title and description.

Polls are for the network's members only, even in an open network: the kind is registered
`members_only`, so the search finds them only for members and administrators (the other
readers of an open network find its other content). A poll that closes, is concluded or
cancelled leaves the index."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from workspace.auth.models import User
from workspace.polls.models import OPEN, Poll
from workspace.search.build import authored_by, join_text, object_path, person
from workspace.search.registry import SearchDoc, register


def poll_document(poll: Poll) -> SearchDoc | None:
    if poll.status != OPEN:
        return None
    author, commune = person(poll.organizer)
    return SearchDoc("poll", poll.id, poll.network_id, poll.title,
                     join_text(poll.description, poll.location),
                     object_path("polls.poll_detail", poll.network_id, poll_id=poll.id),
                     author, commune, poll.created_at)


def init_search(app: Flask) -> None:
    """Make open polls findable in this application."""
    register(app, "poll", Poll, poll_document, label=_l("Sondage de date"),
             load_options=[selectinload(Poll.organizer).selectinload(User.organisation)],
             fields=("title", "description", "location", "status", "organizer_id",
                     "network_id"),
             depends=[authored_by(Poll.organizer_id)], members_only=True)
