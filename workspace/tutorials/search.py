"""How tutorials become search documents: title and text; deleted pages are not findable."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from workspace.core.markdown import html_text
from workspace.search.build import authored_by, object_path, person
from workspace.search.registry import SearchDoc, register
from workspace.tutorials.models import Tutorial


def tutorial_document(tutorial: Tutorial) -> SearchDoc | None:
    if tutorial.is_deleted:
        return None
    author, commune = person(tutorial.author)
    return SearchDoc("tutorial", tutorial.id, tutorial.network_id, tutorial.title,
                     html_text(tutorial.body_html, tutorial.body),
                     object_path("tutorials.tutorial_detail", tutorial.network_id,
                                 tutorial_id=tutorial.id, tutorial_slug=tutorial.slug),
                     author, commune, tutorial.updated_at)


def init_search(app: Flask) -> None:
    """Make tutorials findable in this application."""
    register(app, "tutorial", Tutorial, tutorial_document, label=_l("Tutoriel"),
             fields=("title", "body", "deleted_at", "network_id", "author_id"),
             depends=[authored_by(Tutorial.author_id)])
