"""Shared pieces for the features' `search.py`: the object's path (in a request or in the
worker), the author's name and commune, and the dependency that indexes an author's objects
again when their name or commune changes (renaming, anonymising)."""
from __future__ import annotations

from flask import current_app, g, has_request_context, url_for
from sqlalchemy import select

from workspace.auth.models import User
from workspace.extensions import db
from workspace.networks.models import Network
from workspace.search.registry import Dependency

PERSON_FIELDS = ("first_name", "last_name", "organisation_id")


def object_path(endpoint: str, network_id: int, **values) -> str:
    """The object's path, in a request or in the worker (no SERVER_NAME needed). Slugs are
    kept for the app context: the session keeps a loaded network only while something
    refers to it, and a page of hits or a rebuild chunk would load it again for each."""
    slugs = g.setdefault("search_network_slugs", {})
    slug = slugs.get(network_id)
    if slug is None:
        slug = slugs[network_id] = db.session.scalar(
            select(Network.slug).where(Network.id == network_id))
    values["network_slug"] = slug
    if has_request_context():
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind("localhost",
                                       script_name=current_app.config["APPLICATION_ROOT"])
    return adapter.build(endpoint, values)


def person(user: User | None) -> tuple[str, str]:
    """(full name, commune) of an author, or empty strings when unknown."""
    if user is None:
        return "", ""
    return user.full_name, user.organisation.name if user.organisation else ""


def join_text(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def authored_by(column) -> Dependency:
    """Index again the objects whose `column` (a user id) names a user whose name or commune
    changed: results show the author, and a departed member's name must vanish."""
    def ids_of(user: User) -> list[int]:
        return list(db.session.scalars(
            select(column.class_.id).where(column == user.id)))
    return Dependency(User, ids_of, PERSON_FIELDS)
