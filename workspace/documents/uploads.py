"""Receiving files: checks on the content, the store, new documents and new versions."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from workspace.auth.models import User
from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.jobs import enqueue
from workspace.core.models import utcnow
from workspace.documents import access, sniff
from workspace.documents.models import EXTRACTION_PENDING, Blob, Document, DocumentVersion, Folder
from workspace.documents.names import clean_filename, title_from_filename
from workspace.documents.notifying import notify_new_documents
from workspace.documents.service import quota_bytes, usage_bytes
from workspace.documents.storage import HashingFile, store_root
from workspace.extensions import db
from workspace.networks.models import Network


class Incoming(Protocol):
    """An uploaded file already on disk in the store's temporary folder."""

    path: object
    size: int
    head: bytes
    sha256: str

    def commit(self) -> str: ...
    def discard(self) -> None: ...


def incoming_bytes(data: bytes) -> HashingFile:
    """An Incoming made from bytes (tests, imports, other features)."""
    writer = HashingFile(store_root() / "tmp")
    try:
        writer.write(data)
        writer.flush()
    except BaseException:
        writer.close()
        raise
    return writer


@dataclass
class UploadReport:
    created: list[Document] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)


def _check_content(incoming: Incoming, filename: str) -> str:
    """The MIME type to store, or DomainError with the reason in French."""
    if incoming.size == 0:
        raise DomainError(_("Le fichier « %(name)s » est vide.", name=filename))
    found = sniff.sniff(incoming.path, incoming.head, filename)
    if found.is_dangerous:
        raise DomainError(_("« %(name)s » est un programme : ce type de fichier n'est pas "
                            "accepté.", name=filename))
    if not found.matches_name:
        raise DomainError(_("Le contenu de « %(name)s » ne correspond pas à son extension : "
                            "il est de type « %(kind)s ». Renommez-le ou enregistrez-le au bon "
                            "format.", name=filename, kind=sniff.label(found.mime)))
    return found.mime


def _check_quota(network: Network, incoming_size: int) -> None:
    limit = quota_bytes(network)
    if usage_bytes(network) + incoming_size > limit:
        raise DomainError(_("L'espace documentaire du réseau est plein (%(limit)d Mo) : "
                            "demandez à un coordinateur de faire de la place.",
                            limit=limit // (1024 * 1024)))


def _store(incoming: Incoming, mime: str) -> str:
    """Put the file in place, then record its blob (the row never precedes the file)."""
    sha256 = incoming.commit()
    if db.session.get(Blob, sha256) is None:
        db.session.add(Blob(sha256=sha256, size=incoming.size, mime=mime))
    return sha256


def _new_version(document: Document, user: User, incoming: Incoming, filename: str, mime: str,
                 comment: str) -> DocumentVersion:
    number = (db.session.scalar(select(func.max(DocumentVersion.number)).where(
        DocumentVersion.document_id == document.id)) or 0) + 1
    version = DocumentVersion(document=document, number=number, filename=filename, mime=mime,
                              size=incoming.size, comment=(comment or "").strip()[:500],
                              uploaded_by=user, blob_sha256=_store(incoming, mime),
                              extraction_status=EXTRACTION_PENDING)
    db.session.add(version)
    db.session.flush()
    document.current_version = version
    document.updated_at = utcnow()
    request_extraction(version)
    return version


def request_extraction(version: DocumentVersion) -> None:
    version.extraction_status, version.extraction_reason = EXTRACTION_PENDING, ""
    enqueue("documents.extract", {"version_id": version.id})


def upload_documents(user: User, network: Network, folder: Folder | None,
                     files: list[tuple[str | None, Incoming]]) -> UploadReport:
    """Store each acceptable file as a new document; say why the others were refused."""
    if not access.can_upload(user, network):
        raise PermissionDenied(_("Seuls les membres du réseau peuvent déposer des documents."))
    report = UploadReport()
    for raw_name, incoming in files:
        filename = clean_filename(raw_name)
        try:
            mime = _check_content(incoming, filename)
            _check_quota(network, incoming.size)
        except DomainError as error:
            incoming.discard()
            report.refused.append((filename, error.message))
            continue
        document = Document(network_id=network.id, folder=folder, created_by=user,
                            title=title_from_filename(filename)[:200])
        db.session.add(document)
        db.session.flush()
        _new_version(document, user, incoming, filename, mime, "")
        report.created.append(document)
    notify_new_documents(user, network, folder, report.created)
    return report


def upload_version(user: User, document: Document, raw_name: str | None, incoming: Incoming,
                   comment: str = "") -> DocumentVersion:
    if not access.can_edit_document(user, document):
        incoming.discard()
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce document."))
    filename = clean_filename(raw_name)
    try:
        mime = _check_content(incoming, filename)
        _check_quota(db.session.get(Network, document.network_id), incoming.size)
    except DomainError:
        incoming.discard()
        raise
    return _new_version(document, user, incoming, filename, mime, comment)


def restore_version(user: User, document: Document, version: DocumentVersion) -> DocumentVersion:
    """Make an old version current again, as a new version (history is never rewritten)."""
    if not access.can_edit_document(user, document):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce document."))
    if version.document_id != document.id:
        raise DomainError(_("Cette version n'appartient pas à ce document."))
    if document.current_version_id == version.id:
        raise DomainError(_("Cette version est déjà la version courante."))
    number = (db.session.scalar(select(func.max(DocumentVersion.number)).where(
        DocumentVersion.document_id == document.id)) or 0) + 1
    restored = DocumentVersion(
        document=document, number=number, filename=version.filename, mime=version.mime,
        size=version.size, blob_sha256=version.blob_sha256, uploaded_by=user,
        comment=_("Restauration de la version %(n)d", n=version.number))
    db.session.add(restored)
    db.session.flush()
    document.current_version, document.updated_at = restored, utcnow()
    request_extraction(restored)
    return restored


def max_upload_megabytes() -> int:
    return int(current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024))


def max_upload_files() -> int:
    return int(current_app.config["UPLOAD_MAX_FILES"])
