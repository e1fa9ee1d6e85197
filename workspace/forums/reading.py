"""Reading the forum: lists, topic pages, unread positions, "new since my last visit".

A page view writes only the reader's own position (and only when it moves forward)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, exists, func, lambda_stmt, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.core.models import utcnow
from workspace.documents.models import Document, DocumentLink
from workspace.extensions import db
from workspace.forums.models import Category, ForumVisit, Post, Topic, TopicRead
from workspace.networks.models import Network
from workspace.notifications.models import Follow

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


@dataclass(slots=True)
class CategoryName:
    id: int
    name: str


@dataclass(slots=True)
class PageTopic:
    """What the topic page reads of its topic (the access predicates read the same
    attributes as on a `Topic`): plain values, no ORM object to build."""
    id: int
    network_id: int
    category_id: int
    title: str
    last_number: int
    is_pinned: bool
    is_locked: bool
    is_hidden: bool
    category: CategoryName


_reader_statement: list = []


def _topic_for_reader_statement():
    """Built once per process, with bound parameters (found compiled in SQLAlchemy's cache)."""
    if not _reader_statement:
        topics, categories = Topic.__table__, Category.__table__
        reads, follows = TopicRead.__table__, Follow.__table__
        reader_id = bindparam("reader_id")
        _reader_statement.append(
            select(topics.c.id, topics.c.network_id, topics.c.category_id, topics.c.title,
                   topics.c.last_number, topics.c.is_pinned, topics.c.is_locked,
                   topics.c.is_hidden, categories.c.name,
                   select(reads.c.last_read_number)
                   .where(reads.c.user_id == reader_id, reads.c.topic_id == topics.c.id)
                   .scalar_subquery(),
                   exists().where(follows.c.user_id == reader_id,
                                  follows.c.target_type == "topic",
                                  follows.c.target_id == topics.c.id))
            .select_from(topics.join(categories, categories.c.id == topics.c.category_id))
            .where(topics.c.id == bindparam("topic_id")))
    return _reader_statement[0]


def topic_for_reader(reader: User, topic_id: int) -> tuple[PageTopic | None, int | None, bool]:
    """The topic with its category's name, the reader's position in it (`last_read`) and
    whether the reader follows it (`notify.is_following`): one statement for what the topic
    page needs before its posts. The caller still checks that the reader may see the topic."""
    row = db.session.connection().execute(_topic_for_reader_statement(), {
        "reader_id": reader.id, "topic_id": topic_id}).first()
    if row is None:
        return None, None, False
    (topic_id, network_id, category_id, title, last_number, pinned, locked, hidden,
     category_name, known, followed) = row
    topic = PageTopic(topic_id, network_id, category_id, title, last_number, bool(pinned),
                      bool(locked), bool(hidden), CategoryName(category_id, category_name))
    return topic, known, bool(followed)


class PagePost(NamedTuple):
    """What the topic page shows of a post: read as plain rows (the ORM's objects for a
    post, its author and their organisation cost more than the rest of the page's query).
    Immutable: it is part of the key of the post's kept HTML (forums/fragments.py)."""
    id: int
    number: int
    author_id: int | None
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    revision: int
    is_deleted: bool
    is_hidden: bool
    author_name: str | None  # None: no author (an account deleted)
    organisation_name: str | None
    has_files: bool
    author_handle: str | None = None  # what a quote of a selection mentions
    via_email: bool = False  # "envoyé par e-mail"

    @property
    def is_visible(self) -> bool:
        return not (self.is_deleted or self.is_hidden)


@dataclass
class TopicPage:
    posts: list[PagePost]
    page: int
    pages: int
    attachments: dict[int, list[Document]]


_page_statements: dict[bool, object] = {}


def _page_statement(include_hidden: bool):
    """The posts of a page, built once per process with bound parameters (SQLAlchemy then
    finds it compiled in its cache): an index range on (topic_id, number), the author's
    name and organisation joined, and whether each post has attachments."""
    statement = _page_statements.get(include_hidden)
    if statement is None:
        posts, users = Post.__table__, User.__table__
        organisations = Organisation.__table__
        links, documents = DocumentLink.__table__, Document.__table__
        has_files = exists().where(links.c.target_type == "forum_post",
                                   links.c.target_id == posts.c.id,
                                   documents.c.id == links.c.document_id,
                                   documents.c.deleted_at.is_(None))
        statement = (select(posts.c.id, posts.c.number, posts.c.author_id, posts.c.body_html,
                            posts.c.created_at, posts.c.edited_at, posts.c.revision,
                            posts.c.is_deleted, posts.c.is_hidden, users.c.id,
                            users.c.first_name, users.c.last_name, organisations.c.name,
                            has_files, users.c.handle, posts.c.via_email)
                     .select_from(posts.outerjoin(users, users.c.id == posts.c.author_id)
                                  .outerjoin(organisations,
                                             organisations.c.id == users.c.organisation_id))
                     .where(posts.c.topic_id == bindparam("topic_id"),
                            posts.c.number >= bindparam("first"),
                            posts.c.number < bindparam("after_last"))
                     .order_by(posts.c.number))
        if not include_hidden:
            statement = statement.where(posts.c.is_hidden.is_(False))
        _page_statements[include_hidden] = statement
    return statement


def topic_page(topic: Topic, page: int, include_hidden: bool) -> TopicPage:
    """One page of posts by number (an index range, not an OFFSET scan), with their authors
    and attachments: two statements whatever the page size, one when no post of the page
    has attachments."""
    pages = max((topic.last_number + POSTS_PER_PAGE - 1) // POSTS_PER_PAGE, 1)
    page = min(max(page, 1), pages)
    first = (page - 1) * POSTS_PER_PAGE + 1
    rows = db.session.connection().execute(_page_statement(include_hidden), {
        "topic_id": topic.id, "first": first, "after_last": first + POSTS_PER_PAGE})
    posts = [PagePost(post_id, number, author_id, body_html, created_at, edited_at, revision,
                      bool(is_deleted), bool(is_hidden),
                      None if user_id is None else f"{first_name} {last_name}".strip(),
                      organisation, bool(has_files), handle, bool(via_email))
             for (post_id, number, author_id, body_html, created_at, edited_at, revision,
                  is_deleted, is_hidden, user_id, first_name, last_name, organisation,
                  has_files, handle, via_email) in rows]
    with_files = [post.id for post in posts if post.has_files]
    return TopicPage(posts, page, pages, attachments_of(with_files))


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


def mark_read(reader: User, topic: Topic | PageTopic, number: int, known: int | None) -> bool:
    """Move the reader's position (`known`, None if there is none) forward to `number`;
    write nothing if it does not move. Returns whether something is to be written.
    Several tabs of the reader may do it at once: the UPDATE compares in SQL, so the
    position never goes back, and a first position stored by another tab a moment before
    is moved forward instead of stored twice."""
    if known is not None and known >= number:
        return False
    if known is None:
        try:
            with db.session.begin_nested():
                db.session.add(TopicRead(user_id=reader.id, topic_id=topic.id,
                                         last_read_number=number))
            return True
        except IntegrityError:
            pass  # another tab stored the first position meanwhile
    db.session.execute(update(TopicRead).where(
        TopicRead.user_id == reader.id, TopicRead.topic_id == topic.id,
        TopicRead.last_read_number < number).values(last_read_number=number)
        .execution_options(synchronize_session=False))
    return True


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
