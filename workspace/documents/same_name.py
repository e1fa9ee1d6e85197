"""A file uploaded under the name of a document already in the folder: the person chooses
between a new version of that document and keeping both (as Nextcloud asks).

The files waiting for that answer are already checked (type, danger) and moved into the
store under their hash, without a row: the answer's form carries a signed, dated list of
them, tied to the person, the network and the folder. Unused, they are orphans that the
daily sweep removes after its grace period (a day); the list expires before that
(`HOLD_SECONDS`)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select

from workspace.auth.models import User
from workspace.core.errors import DomainError, PermissionDenied
from workspace.documents import access, storage
from workspace.documents.models import Document, DocumentVersion, Folder
from workspace.documents.names import clean_filename, title_from_filename
from workspace.documents.notifying import notify_new_documents
from workspace.documents.uploads import Incoming, UploadReport, _check_content, _check_quota
from workspace.documents.uploads import _new_version as new_version
from workspace.extensions import db
from workspace.networks.models import Network

SALT = "documents.same-name"
HOLD_SECONDS = 12 * 3600
NEW_VERSION, KEEP_BOTH, SKIP = "version", "both", "skip"


@dataclass(frozen=True)
class HeldFile:
    """A checked file in the store, waiting for the person's answer."""
    sha256: str
    filename: str
    size: int
    mime: str
    document_id: int  # the document of the same name


class _Stored:
    """An Incoming whose content is already in the store (committed when held)."""

    def __init__(self, held: HeldFile):
        self.sha256, self.size, self.path = held.sha256, held.size, storage.blob_path(
            held.sha256)
        self.head = b""

    def commit(self) -> str:
        return self.sha256

    def discard(self) -> None:
        """Nothing to delete here: an unused file is the sweep's."""


def same_name_documents(network: Network, folder: Folder | None,
                        filenames: list[str]) -> dict[str, Document]:
    """Live documents of the folder whose current file has one of these names (compared
    without case), by the lower-cased name."""
    wanted = {name.lower() for name in filenames}
    if not wanted:
        return {}
    query = (select(DocumentVersion.filename, Document)
             .join(Document, Document.current_version_id == DocumentVersion.id)
             .where(Document.network_id == network.id, Document.deleted_at.is_(None),
                    func.lower(DocumentVersion.filename).in_(wanted),
                    Document.folder_id == folder.id if folder else Document.folder_id.is_(None))
             .order_by(Document.id))
    found: dict[str, Document] = {}
    for filename, document in db.session.execute(query):
        found.setdefault(filename.lower(), document)
    return found


def split_same_names(network: Network, folder: Folder | None,
                     files: list[tuple[str | None, Incoming]]):
    """(files with a new name, [(filename, incoming, document of the same name)])."""
    named = [(clean_filename(raw), incoming) for raw, incoming in files]
    existing = same_name_documents(network, folder, [name for name, _i in named])
    fresh = [(name, incoming) for name, incoming in named if name.lower() not in existing]
    clashing = [(name, incoming, existing[name.lower()]) for name, incoming in named
                if name.lower() in existing]
    return fresh, clashing


def hold(clashing, report: UploadReport) -> list[HeldFile]:
    """Check each clashing file and move it into the store; refusals go to the report."""
    held = []
    for filename, incoming, document in clashing:
        try:
            mime = _check_content(incoming, filename)
        except DomainError as error:
            incoming.discard()
            report.refused.append((filename, error.message))
            continue
        held.append(HeldFile(incoming.commit(), filename, incoming.size, mime, document.id))
    return held


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def sign(user: User, network: Network, folder: Folder | None, held: list[HeldFile]) -> str:
    return _serializer().dumps({
        "u": user.id, "n": network.id, "f": folder.id if folder else None,
        "files": [[h.sha256, h.filename, h.size, h.mime, h.document_id] for h in held]})


def read(token: str, user: User, network: Network) -> tuple[int | None, list[HeldFile]]:
    """(folder id, held files) of a token made for this person and network; LookupError for
    anything else (forged, expired, someone else's)."""
    try:
        data = _serializer().loads(token or "", max_age=HOLD_SECONDS)
        if data["u"] != user.id or data["n"] != network.id:
            raise LookupError
        held = [HeldFile(str(s), str(n), int(z), str(m), int(d)) for s, n, z, m, d in
                data["files"]]
        folder_id = data["f"]
    except (BadSignature, KeyError, TypeError, ValueError) as error:
        raise LookupError from error
    if folder_id is not None and not isinstance(folder_id, int):
        raise LookupError
    return folder_id, held


def _free_name(network: Network, folder: Folder | None, filename: str) -> tuple[str, str]:
    """("name (2).ext", "Title (2)"), ("name (3).ext", ...)... the first name not taken in
    the folder, and the title made from the original name with the same number."""
    stem, dot, extension = filename.rpartition(".")
    if not dot or not stem:
        stem, extension = filename, ""
    title = title_from_filename(filename)
    for number in range(2, 1000):
        candidate = f"{stem} ({number}){'.' + extension if extension else ''}"
        if not same_name_documents(network, folder, [candidate]):
            return candidate, f"{title} ({number})"
    return filename, title


def resolve(user: User, network: Network, folder: Folder | None, held: list[HeldFile],
            answers: list[str | None]) -> tuple[list[Document], list[Document], list[str]]:
    """Apply the person's answer for each held file (`answers` in the same order; a new
    version when none is given): (new versions' documents, new documents, refusals in
    French)."""
    if not access.can_upload(user, network):
        raise PermissionDenied(_("Seuls les membres du réseau peuvent déposer des documents."))
    versioned, created, refused = [], [], []
    for index, item in enumerate(held):
        answer = answers[index] if index < len(answers) else None
        answer = answer if answer in (NEW_VERSION, KEEP_BOTH, SKIP) else NEW_VERSION
        if answer == SKIP:
            continue
        if not storage.blob_path(item.sha256).is_file():
            refused.append(_("« %(name)s » n'est plus en attente : déposez-le de nouveau.",
                             name=item.filename))
            continue
        try:
            _check_quota(network, item.size)
        except DomainError as error:
            refused.append(error.message)
            continue
        document = db.session.get(Document, item.document_id)
        if answer == NEW_VERSION and document is not None and document.deleted_at is None \
                and document.network_id == network.id:
            new_version(document, user, _Stored(item), item.filename, item.mime, "")
            versioned.append(document)
            continue
        filename, title = _free_name(network, folder, item.filename)
        document = Document(network_id=network.id, folder=folder, created_by=user,
                            title=title[:200])
        db.session.add(document)
        db.session.flush()
        new_version(document, user, _Stored(item), filename, item.mime, "")
        created.append(document)
    notify_new_documents(user, network, folder, created)
    return versioned, created, refused
