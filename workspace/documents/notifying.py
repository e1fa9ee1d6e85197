"""What documents tell notifications: new documents in followed folders."""
from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workspace.auth.models import User
from workspace.documents.models import Document, Folder
from workspace.networks.models import Network
from workspace.notifications import follows
from workspace.notifications.follows import FollowKind, register_follow_kind
from workspace.notifications.kinds import DAILY, Kind, register_kind
from workspace.notifications.service import notify
from workspace.notifications.targets import Target, register_target


def notify_new_documents(actor: User, network: Network, folder: Folder | None,
                         documents: list) -> None:
    """Followers of the folder, or of a folder above it, hear of each new document."""
    if folder is None or not documents:
        return
    folder_ids, current, seen = [], folder, set()
    while current is not None and current.id not in seen:  # a loop would be a bug: stop
        seen.add(current.id)
        folder_ids.append(current.id)
        current = current.parent
    followers = follows.follower_ids(("folder", folder_id) for folder_id in folder_ids)
    for document in documents:
        notify("new_document", followers, network=network, target_type="document",
               target_id=document.id, actor=actor)


def _visible(user, document: Document, network) -> bool:
    return document.deleted_at is None and (
        document.folder is None or document.folder.deleted_at is None)


def init_notifications(app: Flask) -> None:
    register_kind(app, Kind("new_document", _l("Nouveaux documents des dossiers suivis"),
                            _l("Nouveau document « %(title)s »"), DAILY, order=140))
    register_target(app, Target(
        "document", Document, title=lambda document: document.title,
        place=lambda document, network: ("documents.document_detail", {
            "network_slug": network.slug, "document_id": document.id}),
        visible=_visible))
    register_follow_kind(app, FollowKind(
        "folder", Folder, lambda folder: _("le dossier « %(name)s »", name=folder.name)))
