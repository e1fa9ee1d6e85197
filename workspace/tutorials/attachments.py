"""Images and files of a tutorial: stored as documents of the network (folder "Tutoriels"),
linked to the page; served by the library's access-checked routes."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from workspace.auth.models import User
from workspace.documents import service as documents
from workspace.documents import uploads
from workspace.documents.models import Document, Folder
from workspace.documents.service import LinkTarget, register_link_target
from workspace.documents.sniff import INLINE_IMAGES
from workspace.extensions import db
from workspace.networks.models import Network
from workspace.tutorials.access import can_see_tutorial
from workspace.tutorials.models import LINK_TYPE, Tutorial

FOLDER_NAME = "Tutoriels"  # data, not interface: the same for every reader


def attachments_folder(network: Network, user: User) -> Folder:
    folder = db.session.scalar(select(Folder).where(
        Folder.network_id == network.id, Folder.parent_id.is_(None),
        Folder.name == FOLDER_NAME, Folder.deleted_at.is_(None)))
    return folder or documents.create_folder(user, network, None, FOLDER_NAME)


def attach_files(user: User, tutorial: Tutorial, files) -> tuple[list[Document],
                                                                  list[tuple[str, str]]]:
    """Store the uploaded files as documents and link them to the page; return the created
    documents and the refused files with the reason."""
    incoming = [(item.filename, item.stream) for item in files or [] if item and item.filename]
    if not incoming:
        return [], []
    network = db.session.get(Network, tutorial.network_id)
    report = uploads.upload_documents(user, network, attachments_folder(network, user),
                                      incoming)
    for document in report.created:
        documents.link_document(user, document, LINK_TYPE, tutorial.id)
    return report.created, report.refused


@dataclass
class Attachment:
    document: Document
    is_image: bool
    filename: str
    size: int | None

    @property
    def markdown(self) -> str:
        """What to paste in the text to show the image (or link the file) at that place."""
        if self.is_image:
            url = url_for("documents.document_preview", document_id=self.document.id)
            return f"![{self.document.title}]({url})"
        url = url_for("documents.document_download", document_id=self.document.id)
        return f"[{self.filename}]({url})"


def attachments_of(tutorial: Tutorial) -> list[Attachment]:
    found = []
    for document in documents.documents_linked_to(LINK_TYPE, tutorial.id):
        version = document.current_version
        found.append(Attachment(document, bool(version and version.mime in INLINE_IMAGES),
                                version.filename if version else document.title,
                                version.size if version else None))
    return found


def _resolve(ids: list[int], viewer: User) -> dict[int, LinkTarget]:
    from workspace.core.urls import public_url

    found = {}
    for tutorial in db.session.scalars(select(Tutorial).where(Tutorial.id.in_(ids))):
        network = db.session.get(Network, tutorial.network_id)
        if not tutorial.is_deleted and can_see_tutorial(viewer, tutorial):
            found[tutorial.id] = LinkTarget(
                _("Tutoriel : %(title)s", title=tutorial.title),
                public_url("tutorials.tutorial_detail", network_slug=network.slug,
                           tutorial_id=tutorial.id, tutorial_slug=tutorial.slug))
    return found


register_link_target(LINK_TYPE, _resolve)
