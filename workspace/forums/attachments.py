"""Files attached to posts: stored as documents of the network, linked to the post."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from workspace.auth.models import User
from workspace.documents import service as documents
from workspace.documents import uploads
from workspace.documents.models import Folder
from workspace.documents.service import LinkTarget, register_link_target
from workspace.extensions import db
from workspace.forums import access
from workspace.forums.models import Post, Topic
from workspace.networks.models import Network

LINK_TYPE = "forum_post"
FOLDER_NAME = "Pièces jointes du forum"  # data, not interface: the same for every reader


def attachments_folder(network: Network, user: User) -> Folder:
    name = FOLDER_NAME
    folder = db.session.scalar(select(Folder).where(
        Folder.network_id == network.id, Folder.parent_id.is_(None), Folder.name == name,
        Folder.deleted_at.is_(None)))
    return folder or documents.create_folder(user, network, None, name)


def attach_files(user: User, network: Network, post: Post, files) -> list[tuple[str, str]]:
    """Store the uploaded files as documents and link them to the post; return the refused
    ones with the reason."""
    incoming = [(item.filename, item.stream) for item in files if item and item.filename]
    if not incoming:
        return []
    report = uploads.upload_documents(user, network, attachments_folder(network, user), incoming)
    for document in report.created:
        documents.link_document(user, document, LINK_TYPE, post.id)
    return report.refused


def _resolve(ids: list[int], viewer: User) -> dict[int, LinkTarget]:
    from workspace.core.urls import public_url

    rows = db.session.execute(select(Post, Topic).join(Topic, Topic.id == Post.topic_id)
                              .where(Post.id.in_(ids)))
    found = {}
    for post, topic in rows:
        if access.can_see_post(viewer, post, topic):
            network = db.session.get(Network, topic.network_id)
            found[post.id] = LinkTarget(
                _("Forum : « %(title)s », message n° %(n)d", title=topic.title, n=post.number),
                public_url("forums.post_link", network_slug=network.slug, post_id=post.id))
    return found


register_link_target(LINK_TYPE, _resolve)
