"""How needs become search documents."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from workspace.core.markdown import markdown_text
from workspace.needs.models import Need
from workspace.search.build import authored_by, object_path
from workspace.search.registry import SearchDoc, register


def need_document(need: Need) -> SearchDoc:
    author = need.author.full_name if need.author else ""
    commune = need.organisation.name if need.organisation else ""
    return SearchDoc("need", need.id, need.network_id, need.title,
                     markdown_text(need.description),
                     object_path("needs.need_detail", need.network_id, need_id=need.id),
                     author, commune, need.created_at)


def init_search(app: Flask) -> None:
    """Make needs findable in this application."""
    register(app, "need", Need, need_document, label=_l("Besoin"),
             load_options=[selectinload(Need.author), selectinload(Need.organisation)],
             fields=("title", "description", "organisation_id", "author_id", "network_id"),
             depends=[authored_by(Need.author_id)])
