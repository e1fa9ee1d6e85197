"""How meetings become search documents: title, description, agenda and minutes."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from workspace.auth.models import User
from workspace.core.markdown import html_text, markdown_text
from workspace.meetings.models import AgendaItem, Meeting
from workspace.search.build import authored_by, join_text, object_path, person
from workspace.search.registry import Dependency, SearchDoc, register


def meeting_document(meeting: Meeting) -> SearchDoc:
    agenda = "\n".join(item.title for item in meeting.agenda)
    author, commune = person(meeting.organizer)
    return SearchDoc("meeting", meeting.id, meeting.network_id, meeting.title,
                     join_text(markdown_text(meeting.description), agenda,
                               html_text(meeting.minutes_html, meeting.minutes)),
                     object_path("meetings.meeting_detail", meeting.network_id,
                                 meeting_id=meeting.id),
                     author, commune, meeting.starts_at)


def _meeting_of_item(item: AgendaItem) -> list[int]:
    return [item.meeting_id]


def init_search(app: Flask) -> None:
    """Make meetings findable in this application."""
    register(app, "meeting", Meeting, meeting_document, label=_l("Réunion"),
             load_options=[selectinload(Meeting.agenda),
                           selectinload(Meeting.organizer).selectinload(User.organisation)],
             fields=("title", "description", "minutes", "starts_at", "organizer_id",
                     "network_id", "agenda"),
             depends=[Dependency(AgendaItem, _meeting_of_item, ("title", "meeting_id")),
                      authored_by(Meeting.organizer_id)])
