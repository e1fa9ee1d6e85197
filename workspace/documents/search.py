"""How documents become search documents: title, description, tags and the extracted text of
the current version; documents in the trash (or in a trashed folder) are not findable."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workspace.auth.models import User
from workspace.documents.models import (
    Document,
    DocumentText,
    DocumentVersion,
    Folder,
    Tag,
    document_tags,
)
from workspace.extensions import db
from workspace.search.build import authored_by, join_text, object_path, person
from workspace.search.registry import Dependency, SearchDoc, register


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
    author, commune = person(document.created_by)
    # The extracted pages come last, after a form feed: page n of the file is part n + 1.
    body = join_text(document.description, tags) + "\f" + extracted if extracted else \
        join_text(document.description, tags)
    return SearchDoc("document", document.id, document.network_id, document.title, body,
                     object_path("documents.document_detail", document.network_id,
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


def _documents_tagged(tag: Tag) -> list[int]:
    """Renaming a tag changes what finds the documents that carry it."""
    return list(db.session.scalars(
        select(document_tags.c.document_id).where(document_tags.c.tag_id == tag.id)))


def _texts_of(documents: list[Document]) -> list[DocumentText]:
    """The extracted texts of a batch of documents, in one query (a rebuild)."""
    version_ids = [d.current_version_id for d in documents if d.current_version_id]
    return list(db.session.scalars(
        select(DocumentText).where(DocumentText.version_id.in_(version_ids))))


def init_search(app: Flask) -> None:
    """Make documents findable in this application."""
    register(app, "document", Document, document_document, label=_l("Document"),
             load_options=[selectinload(Document.tags), selectinload(Document.folder),
                           selectinload(Document.created_by).selectinload(User.organisation)],
             prefetch=_texts_of,
             depends=[Dependency(DocumentVersion, _document_of_version, ("document_id",)),
                      Dependency(DocumentText, _document_of_text, ("text",)),
                      Dependency(Folder, _documents_under, ("deleted_at", "parent_id")),
                      Dependency(Tag, _documents_tagged, ("name",)),
                      authored_by(Document.created_by_id)])
