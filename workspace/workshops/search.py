"""How workshops become search documents: theme, description and notes."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from workspace.auth.models import User
from workspace.core.markdown import html_text, markdown_text
from workspace.search.build import authored_by, join_text, object_path, person
from workspace.search.registry import SearchDoc, register
from workspace.workshops.models import Workshop


def workshop_document(workshop: Workshop) -> SearchDoc:
    author, commune = person(workshop.organizer)
    return SearchDoc("workshop", workshop.id, workshop.network_id, workshop.title,
                     join_text(workshop.theme, markdown_text(workshop.description),
                               html_text(workshop.notes_html, workshop.notes)),
                     object_path("workshops.workshop_detail", workshop.network_id,
                                 workshop_id=workshop.id),
                     author, commune, workshop.starts_at)


def init_search(app: Flask) -> None:
    """Make workshops findable in this application."""
    register(app, "workshop", Workshop, workshop_document, label=_l("Atelier"),
             load_options=[selectinload(Workshop.organizer).selectinload(User.organisation)],
             fields=("title", "theme", "description", "notes", "starts_at", "organizer_id",
                     "network_id"),
             depends=[authored_by(Workshop.organizer_id)])
