"""What a network's full export contains: only what its members may see.

Hidden topics, deleted or hidden posts, documents and folders in the trash are left out;
every query is bound to the one network. Markdown is rendered again here through
core/markdown.py (sanitised), whatever was stored.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from workspace.auth.models import User
from workspace.documents.models import Document, DocumentVersion, Folder
from workspace.extensions import db
from workspace.forums.models import Category, Post, Topic
from workspace.meetings.models import ActionItem, Decision, Meeting
from workspace.needs.models import Need, NeedSupport
from workspace.networks.models import Network
from workspace.polls.models import Poll
from workspace.polls.service import PollTable, poll_table
from workspace.workshops.models import Workshop


@dataclass
class ExportedDocument:
    document: Document
    version: DocumentVersion
    folder_path: str
    archive_path: str = ""


@dataclass
class NetworkContents:
    network: Network
    categories: list[Category] = field(default_factory=list)
    topics: dict[int, list[Topic]] = field(default_factory=dict)  # category id -> topics
    posts: dict[int, list[Post]] = field(default_factory=dict)  # topic id -> visible posts
    meetings: list[Meeting] = field(default_factory=list)
    decisions: dict[int, list[Decision]] = field(default_factory=dict)
    actions: dict[int, list[ActionItem]] = field(default_factory=dict)
    workshops: list[Workshop] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    supports: dict[int, list[str]] = field(default_factory=dict)  # need id -> communes
    polls: list[Poll] = field(default_factory=list)
    poll_tables: dict[int, PollTable] = field(default_factory=dict)  # poll id -> table
    documents: list[ExportedDocument] = field(default_factory=list)


def author_name(user: User | None) -> str:
    return user.full_name if user is not None else "—"


def export_counts(network: Network) -> dict[str, int]:
    """What the export of the network would hold, counted without loading it."""
    def count(query) -> int:
        return db.session.scalar(select(func.count()).select_from(query.subquery()))

    return {
        "topics": count(select(Topic.id).where(Topic.network_id == network.id,
                                               Topic.is_hidden.is_(False))),
        "meetings": count(select(Meeting.id).where(Meeting.network_id == network.id)),
        "workshops": count(select(Workshop.id).where(Workshop.network_id == network.id)),
        "needs": count(select(Need.id).where(Need.network_id == network.id)),
        "polls": count(select(Poll.id).where(Poll.network_id == network.id)),
        "documents": len(live_documents(network)),
    }


def collect_network(network: Network) -> NetworkContents:
    contents = NetworkContents(network)
    _collect_forum(network, contents)
    _collect_meetings(network, contents)
    contents.workshops = list(db.session.scalars(
        select(Workshop).where(Workshop.network_id == network.id)
        .order_by(Workshop.starts_at.desc(), Workshop.id)))
    _collect_needs(network, contents)
    contents.polls = list(db.session.scalars(
        select(Poll).where(Poll.network_id == network.id)
        .order_by(Poll.created_at.desc(), Poll.id)))
    contents.poll_tables = {poll.id: poll_table(poll) for poll in contents.polls}
    contents.documents = live_documents(network)
    return contents


def _collect_forum(network: Network, contents: NetworkContents) -> None:
    contents.categories = list(db.session.scalars(
        select(Category).where(Category.network_id == network.id)
        .order_by(Category.position, Category.id)))
    topics = db.session.scalars(
        select(Topic).where(Topic.network_id == network.id, Topic.is_hidden.is_(False))
        .order_by(Topic.is_pinned.desc(), Topic.last_post_at.desc(), Topic.id))
    by_category: dict[int, list[Topic]] = defaultdict(list)
    for topic in topics:
        by_category[topic.category_id].append(topic)
    contents.topics = dict(by_category)
    posts = db.session.scalars(
        select(Post).join(Topic, Post.topic_id == Topic.id)
        .where(Topic.network_id == network.id, Topic.is_hidden.is_(False),
               Post.is_deleted.is_(False), Post.is_hidden.is_(False))
        .order_by(Post.topic_id, Post.number))
    by_topic: dict[int, list[Post]] = defaultdict(list)
    for post in posts:
        by_topic[post.topic_id].append(post)
    contents.posts = dict(by_topic)


def _collect_meetings(network: Network, contents: NetworkContents) -> None:
    contents.meetings = list(db.session.scalars(
        select(Meeting).where(Meeting.network_id == network.id)
        .order_by(Meeting.starts_at.desc(), Meeting.id)))
    ids = [meeting.id for meeting in contents.meetings]
    decisions: dict[int, list[Decision]] = defaultdict(list)
    for decision in db.session.scalars(select(Decision).where(Decision.meeting_id.in_(ids))
                                       .order_by(Decision.id)):
        decisions[decision.meeting_id].append(decision)
    actions: dict[int, list[ActionItem]] = defaultdict(list)
    for item in db.session.scalars(select(ActionItem).where(
            ActionItem.network_id == network.id).order_by(ActionItem.id)):
        actions[item.meeting_id or 0].append(item)
    contents.decisions, contents.actions = dict(decisions), dict(actions)


def _collect_needs(network: Network, contents: NetworkContents) -> None:
    contents.needs = list(db.session.scalars(
        select(Need).where(Need.network_id == network.id)
        .order_by(Need.support_count.desc(), Need.created_at.desc(), Need.id)))
    supports: dict[int, list[str]] = defaultdict(list)
    for support in db.session.scalars(
            select(NeedSupport).join(Need, NeedSupport.need_id == Need.id)
            .where(Need.network_id == network.id).order_by(NeedSupport.id)):
        supports[support.need_id].append(support.organisation.name)
    contents.supports = dict(supports)


def live_documents(network: Network) -> list[ExportedDocument]:
    """The network's documents outside the trash (theirs or a folder's), current version."""
    folders = {folder.id: folder for folder in db.session.scalars(
        select(Folder).where(Folder.network_id == network.id))}

    def trail(folder_id: int | None) -> list[Folder] | None:
        path, seen = [], set()
        while folder_id is not None and folder_id not in seen:
            seen.add(folder_id)
            folder = folders.get(folder_id)
            if folder is None or folder.deleted_at is not None:
                return None
            path.append(folder)
            folder_id = folder.parent_id
        return list(reversed(path))

    found = []
    rows = db.session.execute(
        select(Document, DocumentVersion)
        .join(DocumentVersion, Document.current_version_id == DocumentVersion.id)
        .where(Document.network_id == network.id, Document.deleted_at.is_(None))
        .order_by(Document.title, Document.id))
    for document, version in rows:
        path = trail(document.folder_id)
        if path is not None:
            found.append(ExportedDocument(document, version,
                                          " / ".join(folder.name for folder in path)))
    return found
