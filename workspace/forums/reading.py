"""Reading the forum: lists, topic pages, unread positions, "new since my last visit".

A page view writes only the reader's own position (and only when it moves forward)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, lambda_stmt, select
from sqlalchemy.orm import joinedload

from workspace.auth.models import User
from workspace.core.models import utcnow
from workspace.documents.models import Document, DocumentLink
from workspace.extensions import db
from workspace.forums.models import (Category, ForumVisit, Post, Subscription, Topic,
                                     TopicRead)
from workspace.networks.models import Network

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 30


@dataclass
class TopicRow:
    topic: Topic
    last_read: int | None  # None: never opened

    @property
    def unread(self) -> int:
        if self.last_read is None:
            return self.topic.last_number
        return max(self.topic.last_number - self.last_read, 0)


def _rows(reader: User, topics: list[Topic]) -> list[TopicRow]:
    ids = [topic.id for topic in topics]
    positions = dict(db.session.execute(select(TopicRead.topic_id, TopicRead.last_read_number)
                                        .where(TopicRead.user_id == reader.id,
                                               TopicRead.topic_id.in_(ids))).tuples().all()
                     ) if ids else {}
    return [TopicRow(topic, positions.get(topic.id)) for topic in topics]


def _topic_query(include_hidden: bool):
    query = select(Topic).options(joinedload(Topic.author).joinedload(User.organisation),
                                  joinedload(Topic.last_post_author))
    if not include_hidden:
        query = query.where(Topic.is_hidden.is_(False))
    return query


def category_page(reader: User, category: Category, page: int, include_hidden: bool):
    query = (_topic_query(include_hidden).where(Topic.category_id == category.id)
             .order_by(Topic.is_pinned.desc(), Topic.last_post_at.desc(), Topic.id.desc()))
    page = min(max(page, 1), 100_000)  # an absurd page number is not an SQL overflow
    pagination = db.paginate(query, page=page, per_page=TOPICS_PER_PAGE, error_out=False)
    return pagination, _rows(reader, list(pagination.items))


def new_topics_since(reader: User, network: Network, since: datetime | None,
                     include_hidden: bool, limit: int = 50) -> list[TopicRow]:
    query = _topic_query(include_hidden).where(Topic.network_id == network.id)
    if since is not None:
        query = query.where(Topic.last_post_at > since)
    topics = db.session.scalars(query.order_by(Topic.last_post_at.desc()).limit(limit)).all()
    rows = _rows(reader, list(topics))
    return [row for row in rows if row.unread] if since is None else rows


def record_visit(reader: User, network: Network) -> datetime | None:
    """Note this visit of the network's forum; return the previous one."""
    visit = db.session.get(ForumVisit, (reader.id, network.id))
    now = utcnow()
    if visit is None:
        db.session.add(ForumVisit(user_id=reader.id, network_id=network.id, visited_at=now))
        return None
    previous = visit.visited_at
    if (now - previous).total_seconds() > 15 * 60:  # a new visit, not a click within one
        visit.previous_visit_at, visit.visited_at = previous, now
    return visit.previous_visit_at


def topic_for_reader(reader: User, topic_id: int) -> tuple[Topic | None, int | None, bool]:
    """The topic with its category, the reader's position in it (`last_read`) and whether the
    reader follows it (`notify.is_following`): one statement for what the topic page needs
    before its posts (a lambda statement, see `topic_page`). The caller still checks that
    the reader may see the topic."""
    reader_id = reader.id
    row = db.session.execute(lambda_stmt(lambda: select(
        Topic,
        select(TopicRead.last_read_number)
        .where(TopicRead.user_id == reader_id, TopicRead.topic_id == Topic.id)
        .scalar_subquery(),
        exists().where(Subscription.user_id == reader_id, Subscription.topic_id == Topic.id,
                       Subscription.category_id.is_(None)))
        .options(joinedload(Topic.category)).where(Topic.id == topic_id))).first()
    if row is None:
        return None, None, False
    topic, known, followed = row
    return topic, known, bool(followed)


@dataclass
class TopicPage:
    posts: list[Post]
    page: int
    pages: int
    attachments: dict[int, list[Document]]


def topic_page(topic: Topic, page: int, include_hidden: bool) -> TopicPage:
    """One page of posts by number (an index range, not an OFFSET scan), with their authors
    and attachments: a fixed number of queries whatever the page size.

    The page is read on every view, so its two statements are lambda statements:
    SQLAlchemy caches them by the lambdas' code and only binds the new values, instead of
    building and hashing the whole statement and its eager loads each time (about half the
    cost of these queries). The closures hold plain values only (ids, numbers)."""
    pages = max((topic.last_number + POSTS_PER_PAGE - 1) // POSTS_PER_PAGE, 1)
    page = min(max(page, 1), pages)
    first = (page - 1) * POSTS_PER_PAGE + 1
    after_last = first + POSTS_PER_PAGE
    topic_id = topic.id
    # the editor (Post.edited_by) is not shown on this page: not loaded
    query = lambda_stmt(lambda: select(Post)
                        .options(joinedload(Post.author).joinedload(User.organisation))
                        .where(Post.topic_id == topic_id, Post.number >= first,
                               Post.number < after_last)
                        .order_by(Post.number))
    if not include_hidden:
        query += lambda statement: statement.where(Post.is_hidden.is_(False))
    posts = list(db.session.scalars(query))
    return TopicPage(posts, page, pages, attachments_of([post.id for post in posts]))


def attachments_of(post_ids: list[int]) -> dict[int, list[Document]]:
    if not post_ids:
        return {}
    rows = db.session.execute(lambda_stmt(
        lambda: select(DocumentLink.target_id, Document)
        .join(Document, Document.id == DocumentLink.document_id)
        .options(joinedload(Document.current_version))
        .where(DocumentLink.target_type == "forum_post", DocumentLink.target_id.in_(post_ids),
               Document.deleted_at.is_(None)).order_by(Document.id)))
    found: dict[int, list[Document]] = {}
    for post_id, document in rows:
        found.setdefault(post_id, []).append(document)
    return found


def page_of(number: int) -> int:
    return (max(number, 1) - 1) // POSTS_PER_PAGE + 1


def last_read(reader: User, topic: Topic) -> int | None:
    return db.session.scalar(select(TopicRead.last_read_number).where(
        TopicRead.user_id == reader.id, TopicRead.topic_id == topic.id))


def mark_read(reader: User, topic: Topic, number: int, known: int | None) -> bool:
    """Move the reader's position forward to `number`; write nothing if it does not move.
    Returns whether something is to be written."""
    if known is not None and known >= number:
        return False
    row = db.session.get(TopicRead, (reader.id, topic.id))
    if row is None:
        db.session.add(TopicRead(user_id=reader.id, topic_id=topic.id,
                                 last_read_number=number))
        return True
    if row.last_read_number < number:
        row.last_read_number = number
        return True
    return False


def first_unread_number(reader: User, topic: Topic) -> int:
    """The first visible post after the reader's position, else the last visible one."""
    position = last_read(reader, topic) or 0
    visible = (Post.topic_id == topic.id, Post.is_hidden.is_(False),
               Post.is_deleted.is_(False))
    number = db.session.scalar(select(func.min(Post.number)).where(
        *visible, Post.number > position))
    if number is None:
        number = db.session.scalar(select(func.max(Post.number)).where(*visible))
    return number or 1
