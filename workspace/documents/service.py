"""Library operations: folders, documents and their metadata, trash, quota, links.
Uploads and versions are in ``uploads.py``. Services flush; the caller commits."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from workspace.auth.models import User
from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.models import utcnow
from workspace.documents import access
from workspace.documents.models import Blob, Document, DocumentLink, DocumentVersion, Folder, Tag
from workspace.extensions import db
from workspace.networks.models import Network

TRASH_DAYS = 30
SORTS = {"name", "date", "size"}


# --- quota -----------------------------------------------------------------------------

def quota_bytes(network: Network) -> int:
    megabytes = network.storage_quota_mb or current_app.config["DOCUMENTS_QUOTA_MB"]
    return int(megabytes) * 1024 * 1024


def usage_bytes(network: Network) -> int:
    """Every stored version of the network's documents, trash included (it still takes room)."""
    return db.session.scalar(
        select(func.coalesce(func.sum(DocumentVersion.size), 0))
        .join(Document, Document.id == DocumentVersion.document_id)
        .where(Document.network_id == network.id)) or 0


# --- folders ---------------------------------------------------------------------------

def get_folder(network: Network, folder_id: int | None) -> Folder | None:
    """The live folder of this network, or None for the root; DomainError if unknown."""
    if not folder_id:
        return None
    folder = db.session.get(Folder, folder_id)
    if folder is None or folder.network_id != network.id or folder.deleted_at is not None:
        raise LookupError(folder_id)
    return folder


def breadcrumbs(folder: Folder | None) -> list[Folder]:
    trail = []
    while folder is not None and len(trail) < 50:
        trail.append(folder)
        folder = folder.parent
    return list(reversed(trail))


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or name in (".", "..") or "/" in name or "\\" in name:
        raise DomainError(_("Nom de dossier invalide."))
    return name[:200]


def _check_unique_folder_name(network: Network, parent: Folder | None, name: str,
                              folder: Folder | None = None) -> None:
    siblings = db.session.scalars(select(Folder).where(
        Folder.network_id == network.id, Folder.deleted_at.is_(None),
        Folder.parent_id == (parent.id if parent else None) if parent
        else Folder.parent_id.is_(None)))
    for sibling in siblings:
        if sibling is not folder and slugify(sibling.name) == slugify(name):
            raise DomainError(_("Un dossier « %(name)s » existe déjà ici.", name=sibling.name))


def create_folder(user: User, network: Network, parent: Folder | None, name: str) -> Folder:
    name = _check_name(name)
    _check_unique_folder_name(network, parent, name)
    folder = Folder(network_id=network.id, parent=parent, name=name, created_by=user)
    db.session.add(folder)
    db.session.flush()
    return folder


def rename_folder(user: User, folder: Folder, name: str) -> None:
    if not access.can_change_folder(user, folder):
        raise PermissionDenied(_("Seuls son auteur et les coordinateurs peuvent modifier ce "
                                 "dossier."))
    name = _check_name(name)
    network = db.session.get(Network, folder.network_id)
    _check_unique_folder_name(network, folder.parent, name, folder)
    folder.name = name


def move_folder(user: User, folder: Folder, target: Folder | None) -> None:
    if not access.can_change_folder(user, folder):
        raise PermissionDenied(_("Seuls son auteur et les coordinateurs peuvent déplacer ce "
                                 "dossier."))
    if target is not None and (target is folder or folder in breadcrumbs(target)):
        raise DomainError(_("Un dossier ne peut pas être déplacé dans lui-même."))
    network = db.session.get(Network, folder.network_id)
    _check_unique_folder_name(network, target, folder.name, folder)
    folder.parent = target


def trash_folder(user: User, folder: Folder) -> None:
    if not access.can_change_folder(user, folder):
        raise PermissionDenied(_("Seuls son auteur et les coordinateurs peuvent supprimer ce "
                                 "dossier."))
    folder.deleted_at, folder.deleted_by_id = utcnow(), user.id


def restore_folder(user: User, folder: Folder) -> None:
    network = db.session.get(Network, folder.network_id)
    if not access.can_manage_library(user, network):
        raise PermissionDenied(_("Seuls les coordinateurs peuvent restaurer."))
    folder.deleted_at = folder.deleted_by_id = None
    parent = folder.parent
    if parent is not None and (parent.deleted_at is not None or _in_trash(parent)):
        folder.parent = None  # its old place is gone: back at the root
    _check_unique_folder_name(network, folder.parent, folder.name, folder)


def _in_trash(folder: Folder | None) -> bool:
    return any(f.deleted_at is not None for f in breadcrumbs(folder))


def folder_choices(network: Network) -> list[tuple[int, str]]:
    """Every live folder as (id, "Parent / Child") for move menus."""
    folders = db.session.scalars(select(Folder).where(
        Folder.network_id == network.id, Folder.deleted_at.is_(None))).all()
    paths = []
    for folder in folders:
        trail = breadcrumbs(folder)
        if any(f.deleted_at is not None for f in trail):
            continue
        paths.append((folder.id, " / ".join(f.name for f in trail)))
    return sorted(paths, key=lambda item: slugify(item[1]))


# --- listing ---------------------------------------------------------------------------

@dataclass
class Listing:
    folders: list[Folder]
    documents: list[Document]


def list_folder(network: Network, folder: Folder | None, sort: str = "name",
                descending: bool = False, tag: str | None = None) -> Listing:
    folder_query = select(Folder).where(Folder.network_id == network.id,
                                        Folder.deleted_at.is_(None))
    document_query = (select(Document).outerjoin(
        DocumentVersion, DocumentVersion.id == Document.current_version_id)
        .where(Document.network_id == network.id, Document.deleted_at.is_(None)))
    if tag:
        document_query = document_query.where(Document.tags.any(Tag.slug == tag))
    else:
        parent_id = folder.id if folder else None
        folder_query = folder_query.where(Folder.parent_id == parent_id if parent_id
                                          else Folder.parent_id.is_(None))
        document_query = document_query.where(Document.folder_id == parent_id if parent_id
                                              else Document.folder_id.is_(None))
    key = {"name": func.lower(Document.title), "date": Document.updated_at,
           "size": DocumentVersion.size}[sort if sort in SORTS else "name"]
    document_query = document_query.order_by(key.desc() if descending else key, Document.id)
    folders = sorted(db.session.scalars(folder_query), key=lambda f: slugify(f.name),
                     reverse=descending and sort == "name")
    # each row shows its current version and tags: read for the whole page, two statements,
    # not two per document (found by the load test)
    document_query = document_query.options(selectinload(Document.current_version),
                                            selectinload(Document.tags))
    return Listing([] if tag else folders, list(db.session.scalars(document_query)))


def recent_documents(network: Network, limit: int = 30) -> list[Document]:
    return list(db.session.scalars(select(Document).where(
        Document.network_id == network.id, Document.deleted_at.is_(None))
        .order_by(Document.updated_at.desc(), Document.id.desc()).limit(limit)))


def live_document(network: Network, document_id: int) -> Document | None:
    document = db.session.get(Document, document_id)
    if document is None or document.network_id != network.id or document.deleted_at:
        return None
    if document.folder is not None and _in_trash(document.folder):
        return None
    return document


def network_tags(network: Network) -> list[Tag]:
    return list(db.session.scalars(select(Tag).where(Tag.network_id == network.id)
                                   .order_by(Tag.slug)))


# --- metadata --------------------------------------------------------------------------

def set_tags(network: Network, document: Document, names: str) -> None:
    """"énergie, Zimbra ; GED" → tags énergie, GED, Zimbra (created in the network)."""
    wanted = {}
    for raw in names.replace(";", ",").split(","):
        name = " ".join(raw.split())[:60]
        slug = slugify(name)[:60]
        if slug and slug not in wanted:
            wanted[slug] = name
    if len(wanted) > 20:
        raise DomainError(_("Vingt étiquettes au plus par document."))
    existing = {tag.slug: tag for tag in db.session.scalars(select(Tag).where(
        Tag.network_id == network.id, Tag.slug.in_(list(wanted))))}
    tags = []
    for slug, name in wanted.items():
        tag = existing.get(slug)
        if tag is None:
            tag = Tag(network_id=network.id, name=name, slug=slug)
            db.session.add(tag)
        tags.append(tag)
    document.tags = tags


def update_document(user: User, document: Document, *, title: str, description: str,
                    tags: str, folder: Folder | None) -> None:
    if not access.can_edit_document(user, document):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce document."))
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Le titre est obligatoire."))
    network = db.session.get(Network, document.network_id)
    document.title, document.description = title[:200], (description or "").strip()
    document.folder = folder
    set_tags(network, document, tags or "")
    document.updated_at = utcnow()


def trash_document(user: User, document: Document) -> None:
    if not access.can_delete_document(user, document):
        raise PermissionDenied(_("Seuls son auteur et les coordinateurs peuvent supprimer ce "
                                 "document."))
    document.deleted_at, document.deleted_by_id = utcnow(), user.id


def restore_document(user: User, document: Document) -> None:
    network = db.session.get(Network, document.network_id)
    if not access.can_manage_library(user, network):
        raise PermissionDenied(_("Seuls les coordinateurs peuvent restaurer."))
    document.deleted_at = document.deleted_by_id = None
    if document.folder is not None and _in_trash(document.folder):
        document.folder = None


def trash_contents(network: Network) -> tuple[list[Folder], list[Document]]:
    folders = db.session.scalars(select(Folder).where(
        Folder.network_id == network.id, Folder.deleted_at.is_not(None))
        .order_by(Folder.deleted_at.desc())).all()
    documents = db.session.scalars(select(Document).where(
        Document.network_id == network.id, Document.deleted_at.is_not(None))
        .order_by(Document.deleted_at.desc())).all()
    return list(folders), list(documents)


def purge_trash(payload: dict | None = None) -> int:
    """Delete for good what has been in the trash for more than 30 days, then forget the
    stored files no version uses (the files themselves go with the orphan sweep)."""
    limit = utcnow() - timedelta(days=TRASH_DAYS)
    old_folders = db.session.scalars(select(Folder.id).where(Folder.deleted_at < limit)).all()
    purged = 0
    if old_folders:
        subtree = _descendants(old_folders)
        purged += db.session.execute(delete(Document).where(
            Document.folder_id.in_(subtree))).rowcount or 0
        db.session.execute(delete(Folder).where(Folder.id.in_(subtree)))
    purged += db.session.execute(delete(Document).where(
        Document.deleted_at < limit)).rowcount or 0
    used = select(DocumentVersion.blob_sha256)
    db.session.execute(delete(Blob).where(Blob.sha256.not_in(used)))
    return purged


def _descendants(folder_ids: list[int]) -> list[int]:
    found, frontier = set(folder_ids), list(folder_ids)
    while frontier:
        children = db.session.scalars(select(Folder.id).where(
            Folder.parent_id.in_(frontier))).all()
        frontier = [child for child in children if child not in found]
        found.update(frontier)
    return list(found)


# --- links to other features -----------------------------------------------------------

@dataclass
class LinkTarget:
    label: str
    url: str


# target_type -> function(ids, viewer) -> {id: LinkTarget} for the targets the viewer may see
_link_resolvers: dict[str, Callable[[list[int], User], dict[int, LinkTarget]]] = {}


def register_link_target(target_type: str,
                         resolver: Callable[[list[int], User], dict[int, LinkTarget]]) -> None:
    """Features that attach documents (forums, meetings...) say how to show their objects."""
    _link_resolvers[target_type] = resolver


def link_document(user: User, document: Document, target_type: str, target_id: int) -> None:
    if target_type not in _link_resolvers:
        raise DomainError(_("Type de lien inconnu."))
    exists = db.session.scalar(select(DocumentLink.id).where(
        DocumentLink.document_id == document.id, DocumentLink.target_type == target_type,
        DocumentLink.target_id == target_id))
    if exists is None:
        db.session.add(DocumentLink(document_id=document.id, target_type=target_type,
                                    target_id=target_id, created_by_id=user.id))
        db.session.flush()


def documents_linked_to(target_type: str, target_id: int) -> list[Document]:
    return list(db.session.scalars(select(Document).join(
        DocumentLink, DocumentLink.document_id == Document.id).where(
        DocumentLink.target_type == target_type, DocumentLink.target_id == target_id,
        Document.deleted_at.is_(None)).order_by(Document.title)))


def where_used(document: Document, viewer: User) -> list[LinkTarget]:
    """The places a document is attached to, among those the viewer may see."""
    by_type: dict[str, list[int]] = {}
    for link in db.session.scalars(select(DocumentLink).where(
            DocumentLink.document_id == document.id)):
        by_type.setdefault(link.target_type, []).append(link.target_id)
    targets = []
    for target_type, ids in by_type.items():
        resolver = _link_resolvers.get(target_type)
        if resolver is not None:
            targets.extend(resolver(ids, viewer).values())
    return targets
