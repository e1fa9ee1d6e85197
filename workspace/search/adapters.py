"""How the objects of the five features become search documents.

Temporarily here so that this first increment stays inside the search package; each
feature should own its adapter in its own `search.py` (see docs/search.md). The rules of
what may be found repeat the features' access rules: hidden or deleted posts, posts of a
hidden topic and documents in the trash (or in a trashed folder) are not findable.
"""
from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workspace.auth.models import User
from workspace.documents.models import Document, DocumentText, DocumentVersion, Folder
from workspace.extensions import db
from workspace.forums.models import Post, Topic
from workspace.meetings.models import AgendaItem, Meeting
from workspace.needs.models import Need
from workspace.networks.models import Network
from workspace.search.registry import Dependency, SearchDoc, register
from workspace.workshops.models import Workshop


def _path(endpoint: str, network_id: int, **values) -> str:
    """The object's path, in a request or in the worker (no SERVER_NAME needed)."""
    values["network_slug"] = db.session.get(Network, network_id).slug
    if has_request_context():
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind("localhost",
                                       script_name=current_app.config["APPLICATION_ROOT"])
    return adapter.build(endpoint, values)


def _person(user: User | None) -> tuple[str, str]:
    """(full name, commune) of an author, or empty strings when unknown."""
    if user is None:
        return "", ""
    return user.full_name, user.organisation.name if user.organisation else ""


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


# --- forums ----------------------------------------------------------------------------

def post_document(post: Post) -> SearchDoc | None:
    topic = post.topic
    if not post.is_visible or topic is None or topic.is_hidden:
        return None
    author, commune = _person(post.author)
    return SearchDoc("post", post.id, topic.network_id, topic.title, post.body,
                     _path("forums.post_link", topic.network_id, post_id=post.id),
                     author, commune, post.created_at)


def _posts_of_topic(topic: Topic) -> list[int]:
    return list(db.session.scalars(select(Post.id).where(Post.topic_id == topic.id)))


register("post", Post, post_document, label=_l("Message du forum"),
         fields=("body", "is_deleted", "is_hidden", "topic_id", "author_id"),
         depends=[Dependency(Topic, _posts_of_topic, ("title", "is_hidden", "network_id"))])


# --- documents -------------------------------------------------------------------------

def _in_trash(folder: Folder | None) -> bool:
    seen = set()
    while folder is not None and folder.id not in seen:
        if folder.deleted_at is not None:
            return True
        seen.add(folder.id)
        folder = folder.parent
    return False


def document_document(document: Document) -> SearchDoc | None:
    if document.deleted_at is not None or _in_trash(document.folder):
        return None
    extracted = ""
    if document.current_version_id is not None:
        text = db.session.get(DocumentText, document.current_version_id)
        extracted = text.text if text is not None else ""
    tags = " ".join(tag.name for tag in document.tags)
    author, commune = _person(document.created_by)
    # The extracted pages come last, after a form feed: page n of the file is part n + 1.
    body = _join(document.description, tags) + "\f" + extracted if extracted else \
        _join(document.description, tags)
    return SearchDoc("document", document.id, document.network_id, document.title, body,
                     _path("documents.document_detail", document.network_id,
                           document_id=document.id),
                     author, commune, document.updated_at)


def _document_of_version(version: DocumentVersion) -> list[int]:
    return [version.document_id]


def _document_of_text(text: DocumentText) -> list[int]:
    version = db.session.get(DocumentVersion, text.version_id)
    return [version.document_id] if version is not None else []


def _documents_under(folder: Folder) -> list[int]:
    """Documents in the folder and its sub-folders (trashing a folder hides them all)."""
    children: dict[int | None, list[int]] = {}
    for folder_id, parent_id in db.session.execute(
            select(Folder.id, Folder.parent_id).where(Folder.network_id == folder.network_id)):
        children.setdefault(parent_id, []).append(folder_id)
    subtree, todo = set(), [folder.id]
    while todo:
        current = todo.pop()
        if current not in subtree:
            subtree.add(current)
            todo.extend(children.get(current, []))
    return list(db.session.scalars(select(Document.id).where(Document.folder_id.in_(subtree))))


register("document", Document, document_document, label=_l("Document"),
         depends=[Dependency(DocumentVersion, _document_of_version, ("document_id",)),
                  Dependency(DocumentText, _document_of_text, ("text",)),
                  Dependency(Folder, _documents_under, ("deleted_at", "parent_id"))])


# --- meetings, workshops, needs --------------------------------------------------------

def meeting_document(meeting: Meeting) -> SearchDoc:
    agenda = "\n".join(item.title for item in meeting.agenda)
    author, commune = _person(meeting.organizer)
    return SearchDoc("meeting", meeting.id, meeting.network_id, meeting.title,
                     _join(meeting.description, agenda, meeting.minutes),
                     _path("meetings.meeting_detail", meeting.network_id,
                           meeting_id=meeting.id),
                     author, commune, meeting.starts_at)


def _meeting_of_item(item: AgendaItem) -> list[int]:
    return [item.meeting_id]


register("meeting", Meeting, meeting_document, label=_l("Réunion"),
         fields=("title", "description", "minutes", "starts_at", "organizer_id",
                 "network_id", "agenda"),
         depends=[Dependency(AgendaItem, _meeting_of_item, ("title", "meeting_id"))])


def workshop_document(workshop: Workshop) -> SearchDoc:
    author, commune = _person(workshop.organizer)
    return SearchDoc("workshop", workshop.id, workshop.network_id, workshop.title,
                     _join(workshop.theme, workshop.description, workshop.notes),
                     _path("workshops.workshop_detail", workshop.network_id,
                           workshop_id=workshop.id),
                     author, commune, workshop.starts_at)


register("workshop", Workshop, workshop_document, label=_l("Atelier"),
         fields=("title", "theme", "description", "notes", "starts_at", "organizer_id",
                 "network_id"))


def need_document(need: Need) -> SearchDoc:
    author = need.author.full_name if need.author else ""
    commune = need.organisation.name if need.organisation else ""
    return SearchDoc("need", need.id, need.network_id, need.title, need.description,
                     _path("needs.need_detail", need.network_id, need_id=need.id),
                     author, commune, need.created_at)


register("need", Need, need_document, label=_l("Besoin"),
         fields=("title", "description", "organisation_id", "author_id", "network_id"))
