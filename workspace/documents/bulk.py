"""Several documents at once, chosen in a folder's list: move them, put them in the trash, or
download them as one zip, streamed (never built in memory or on disk) and capped in size.

Every document is checked: a live document of this network, or the whole request is 404;
a change is refused as a whole when one of them may not be changed by this person."""
from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from workspace.auth.models import User
from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.models import utcnow
from workspace.documents import access, storage
from workspace.documents.models import Document, Folder
from workspace.extensions import db
from workspace.networks.models import Network

MAX_SELECTED = 500
CHUNK = 256 * 1024


def chosen_documents(network: Network, ids: list[int]) -> list[Document] | None:
    """The live documents of the network with these ids, in the order of their titles;
    None when one of them is not (unknown, of another network, in the trash)."""
    ids = sorted(set(ids))
    if not ids or len(ids) > MAX_SELECTED:
        return None
    found = list(db.session.scalars(select(Document).where(
        Document.id.in_(ids), Document.network_id == network.id,
        Document.deleted_at.is_(None)).order_by(Document.title, Document.id)))
    return found if len(found) == len(ids) else None


def move_documents(user: User, documents: list[Document], target: Folder | None) -> None:
    if not all(access.can_edit_document(user, document) for document in documents):
        raise PermissionDenied(_("Vous ne pouvez pas déplacer ces documents."))
    now = utcnow()
    for document in documents:
        document.folder, document.updated_at = target, now


def trash_documents(user: User, documents: list[Document]) -> None:
    """All or nothing: one document this person may not delete refuses the whole choice."""
    refused = [d for d in documents if not access.can_delete_document(user, d)]
    if refused:
        raise DomainError(ngettext(
            "« %(title)s » ne peut être supprimé que par son auteur ou un coordinateur : rien "
            "n'a été mis à la corbeille.",
            "%(num)d documents ne peuvent être supprimés que par leur auteur ou un "
            "coordinateur : rien n'a été mis à la corbeille.",
            len(refused), title=refused[0].title))
    now = utcnow()
    for document in documents:
        document.deleted_at, document.deleted_by_id = now, user.id


# --- zip -------------------------------------------------------------------------------

class ZipEntry:
    """A file of the zip: its name inside, where its content is, when it was changed."""

    def __init__(self, name: str, path, modified: datetime):
        self.name, self.path, self.modified = name, path, modified


def zip_entries(documents: list[Document], max_bytes: int) -> list[ZipEntry]:
    """The entries of the zip (unique names), or DomainError past the size cap."""
    versions = [d.current_version for d in documents if d.current_version is not None]
    total = sum(v.size or 0 for v in versions)
    if total > max_bytes:
        raise DomainError(_(
            "Ces documents font %(size)d Mo, plus que les %(max)d Mo d'un téléchargement "
            "groupé : choisissez-en moins, ou téléchargez-les un par un.",
            size=-(-total // (1024 * 1024)), max=max_bytes // (1024 * 1024)))
    entries, taken = [], set()
    for version in versions:
        path = storage.blob_path(version.blob_sha256)
        if not path.is_file():  # `flask documents check` reports it; the rest still goes
            current_app.logger.error("stored file missing: %s (version %s)", path, version.id)
            continue
        entries.append(ZipEntry(_unique(version.filename, taken), path, version.uploaded_at))
    return entries


def _unique(filename: str, taken: set[str]) -> str:
    name, number = filename, 1
    stem, dot, extension = filename.rpartition(".")
    while name.lower() in taken:
        number += 1
        name = f"{stem} ({number}).{extension}" if dot and stem else f"{filename} ({number})"
    taken.add(name.lower())
    return name


class _Pipe:
    """What ZipFile writes, handed out in pieces (a stream it cannot seek: data
    descriptors are used, as the zip format allows)."""

    def __init__(self):
        self.pieces: list[bytes] = []
        self.position = 0

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.pieces = b"".join(self.pieces), []
        return data


def stream_zip(entries: Iterable[ZipEntry]) -> Iterator[bytes]:
    """The zip's bytes, file after file, piece by piece. Stored files are already
    compressed (PDF, images, office documents) or small: ZIP_DEFLATED at a low level
    still helps texts without costing much."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED,
                         compresslevel=1) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.name, date_time=_zip_time(entry.modified))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(entry.path, "rb") as source, archive.open(info, "w",
                                                                force_zip64=True) as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield pipe.take()
            yield pipe.take()
    yield pipe.take()


def _zip_time(moment: datetime | None) -> tuple[int, int, int, int, int, int]:
    from zoneinfo import ZoneInfo

    if moment is None:
        return (1980, 1, 1, 0, 0, 0)
    local = moment.astimezone(ZoneInfo("Europe/Paris"))
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute,
            local.second)
