"""What happened in networks, read from the features' own tables (no event table).

Each kind of event is one query on one table (posts, document versions, meetings, minutes,
workshops, workshop notes, needs), newest first, limited; the rows are merged in Python.
So a page of the stream costs one statement per kind, whatever the amount of data.

The order is total: (instant, kind rank, row id), newest first. The "before" cursor carries
the last event's key, so that paging never skips nor repeats events sharing an instant.
Hidden or deleted posts, hidden topics and documents in the trash (or in a trashed folder)
never appear, whoever reads: the stream is also served as a feed read outside the site.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased, joinedload

from workspace.auth.models import User
from workspace.core.excerpts import excerpt_of_html, excerpt_of_markdown
from workspace.core.timezones import utc_to_local
from workspace.documents.models import Document, DocumentVersion, Folder
from workspace.extensions import db
from workspace.forums.models import Post, Topic
from workspace.meetings.models import Meeting
from workspace.needs.models import Need
from workspace.networks.models import Network
from workspace.workshops.models import Workshop

PAGE_SIZE = 30
EXCERPT_LENGTH = 240
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_MICROSECONDS = 253_402_300_799_999_999  # 9999-12-31T23:59:59.999999Z


@dataclass(frozen=True)
class Cursor:
    """The key of the last event of a page: the next page starts strictly after it."""

    at: datetime
    rank: int
    row_id: int

    def encode(self) -> str:
        delta = self.at - EPOCH
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        return f"{micros}.{self.rank}.{self.row_id}"

    @classmethod
    def decode(cls, raw: str | None) -> Cursor | None:
        """None for anything that is not a cursor this module made (never an exception)."""
        if not raw or len(raw) > 60:
            return None
        parts = raw.split(".")
        if len(parts) != 3 or not all(part.isascii() and part.isdigit() for part in parts):
            return None
        micros, rank, row_id = (int(part) for part in parts)
        if micros > MAX_MICROSECONDS or rank not in RANKS or not 0 < row_id < 2**63:
            return None
        try:
            at = EPOCH + timedelta(microseconds=micros)
        except OverflowError:
            return None
        return cls(at, rank, row_id)


@dataclass
class Event:
    kind: str  # topic, reply, document, version, meeting, minutes, workshop, notes, need
    at: datetime
    rank: int
    row_id: int
    network: Network
    title: str
    actor: User | None
    endpoint: str
    values: dict = field(default_factory=dict)
    excerpt: str = ""
    html: str = ""  # sanitised HTML of the content (posts), for the feed
    detail: str = ""  # e.g. the version number, "annulée"

    @property
    def local_day(self) -> date:
        """The day it happened in Paris (the page groups events by day)."""
        return utc_to_local(self.at).date()

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.at, self.rank, self.row_id)

    @property
    def link_values(self) -> dict:
        return {"network_slug": self.network.slug, **self.values}


@dataclass
class Page:
    events: list[Event]
    next_cursor: Cursor | None  # None: nothing older


def _excerpt(text: str) -> str:
    """Of Markdown (a description, a comment): paragraphs and list items kept as lines."""
    return excerpt_of_markdown(text or "", EXCERPT_LENGTH)


def _html_excerpt(html: str) -> str:
    return excerpt_of_html(html or "", EXCERPT_LENGTH)


# --- the sources: one query each ------------------------------------------------------

@dataclass(frozen=True)
class Source:
    rank: int
    at: object  # the column giving the instant
    row_id: object  # the column giving the row id
    query: Callable[[list[int]], object]  # network ids -> a select() of rows
    to_event: Callable[[object, dict[int, Network]], Event]
    actor_id: object = None  # the column naming who did it, when there is one


def trashed_folders(network_ids: list[int]):
    """A recursive CTE of the folders in the trash with everything under them."""
    top = select(Folder.id).where(Folder.network_id.in_(network_ids),
                                  Folder.deleted_at.is_not(None)).cte("trashed", recursive=True)
    child = aliased(Folder)
    return top.union_all(select(child.id).join(top, child.parent_id == top.c.id))


def live_documents(network_ids: list[int]):
    """Conditions of a document that is neither in the trash nor in a trashed folder."""
    trashed = trashed_folders(network_ids)
    return (Document.network_id.in_(network_ids), Document.deleted_at.is_(None),
            or_(Document.folder_id.is_(None), Document.folder_id.not_in(select(trashed.c.id))))


def _posts(ids):
    return (select(Post).join(Topic, Topic.id == Post.topic_id)
            .options(joinedload(Post.topic), joinedload(Post.author))
            .where(Topic.network_id.in_(ids), Topic.is_hidden.is_(False),
                   Post.is_hidden.is_(False), Post.is_deleted.is_(False)))


def _post_event(post: Post, networks: dict[int, Network]) -> Event:
    first = post.number == 1
    return Event("topic" if first else "reply", post.created_at, RANK_POST, post.id,
                 networks[post.topic.network_id], post.topic.title, post.author,
                 "forums.post_link", {"post_id": post.id},
                 excerpt=_html_excerpt(post.body_html), html=post.body_html)


def _versions(ids):
    return (select(DocumentVersion).join(Document, Document.id == DocumentVersion.document_id)
            .options(joinedload(DocumentVersion.document), joinedload(DocumentVersion.uploaded_by))
            .where(*live_documents(ids)))


def _version_event(version: DocumentVersion, networks: dict[int, Network]) -> Event:
    document = version.document
    return Event("document" if version.number == 1 else "version", version.uploaded_at,
                 RANK_VERSION, version.id, networks[document.network_id], document.title,
                 version.uploaded_by, "documents.document_detail",
                 {"document_id": document.id},
                 excerpt=_excerpt(version.comment or document.description),
                 detail=str(version.number))


def _meetings(ids):
    return (select(Meeting).options(joinedload(Meeting.organizer))
            .where(Meeting.network_id.in_(ids)))


def _meeting_event(meeting: Meeting, networks: dict[int, Network]) -> Event:
    return Event("meeting", meeting.created_at, RANK_MEETING, meeting.id,
                 networks[meeting.network_id], meeting.title, meeting.organizer,
                 "meetings.meeting_detail", {"meeting_id": meeting.id},
                 excerpt=_excerpt(meeting.description),
                 detail="cancelled" if meeting.is_cancelled else "")


def _minutes(ids):
    return _meetings(ids).where(Meeting.minutes_updated_at.is_not(None), Meeting.minutes != "")


def _minutes_event(meeting: Meeting, networks: dict[int, Network]) -> Event:
    return Event("minutes", meeting.minutes_updated_at, RANK_MINUTES, meeting.id,
                 networks[meeting.network_id], meeting.title, None,
                 "meetings.meeting_detail", {"meeting_id": meeting.id, "_anchor": "minutes"},
                 excerpt=_html_excerpt(meeting.minutes_html), html=meeting.minutes_html)


def _workshops(ids):
    return (select(Workshop).options(joinedload(Workshop.organizer))
            .where(Workshop.network_id.in_(ids)))


def _workshop_event(workshop: Workshop, networks: dict[int, Network]) -> Event:
    return Event("workshop", workshop.created_at, RANK_WORKSHOP, workshop.id,
                 networks[workshop.network_id], workshop.title, workshop.organizer,
                 "workshops.workshop_detail", {"workshop_id": workshop.id},
                 excerpt=_excerpt(workshop.description),
                 detail="cancelled" if workshop.is_cancelled else "")


def _notes(ids):
    return _workshops(ids).where(Workshop.notes_updated_at.is_not(None), Workshop.notes != "")


def _notes_event(workshop: Workshop, networks: dict[int, Network]) -> Event:
    return Event("notes", workshop.notes_updated_at, RANK_NOTES, workshop.id,
                 networks[workshop.network_id], workshop.title, None,
                 "workshops.workshop_detail", {"workshop_id": workshop.id},
                 excerpt=_html_excerpt(workshop.notes_html), html=workshop.notes_html)


def _needs(ids):
    return select(Need).options(joinedload(Need.author)).where(Need.network_id.in_(ids))


def _need_event(need: Need, networks: dict[int, Network]) -> Event:
    return Event("need", need.created_at, RANK_NEED, need.id, networks[need.network_id],
                 need.title, need.author, "needs.need_detail", {"need_id": need.id},
                 excerpt=_excerpt(need.description))


(RANK_POST, RANK_VERSION, RANK_MEETING, RANK_MINUTES, RANK_WORKSHOP, RANK_NOTES,
 RANK_NEED) = range(1, 8)
SOURCES = (
    Source(RANK_POST, Post.created_at, Post.id, _posts, _post_event, Post.author_id),
    Source(RANK_VERSION, DocumentVersion.uploaded_at, DocumentVersion.id, _versions,
           _version_event, DocumentVersion.uploaded_by_id),
    Source(RANK_MEETING, Meeting.created_at, Meeting.id, _meetings, _meeting_event,
           Meeting.organizer_id),
    Source(RANK_MINUTES, Meeting.minutes_updated_at, Meeting.id, _minutes, _minutes_event),
    Source(RANK_WORKSHOP, Workshop.created_at, Workshop.id, _workshops, _workshop_event,
           Workshop.organizer_id),
    Source(RANK_NOTES, Workshop.notes_updated_at, Workshop.id, _notes, _notes_event),
    Source(RANK_NEED, Need.created_at, Need.id, _needs, _need_event, Need.author_id),
)
RANKS = frozenset(source.rank for source in SOURCES)


def _before(source: Source, cursor: Cursor):
    """Rows strictly after the cursor in the stream's order (instant, rank, id), newest
    first: at the cursor's instant, a source of lower rank comes after it entirely."""
    at, row_id = source.at, source.row_id
    if source.rank < cursor.rank:
        return at <= cursor.at
    if source.rank > cursor.rank:
        return at < cursor.at
    return or_(at < cursor.at, and_(at == cursor.at, row_id < cursor.row_id))


def read_stream(networks: Iterable[Network], *, limit: int = PAGE_SIZE,
                before: Cursor | None = None, since: datetime | None = None,
                not_by: User | None = None) -> Page:
    """The newest `limit` events of the networks (after `since`, before `before`, not done
    by `not_by`: one's own posts are no news), and the cursor of the next page. One
    statement per kind of event."""
    by_id = {network.id: network for network in networks}
    if not by_id or limit < 1:
        return Page([], None)
    ids = sorted(by_id)
    events: list[Event] = []
    for source in SOURCES:
        query = source.query(ids)
        if since is not None:
            query = query.where(source.at > since)
        if before is not None:
            query = query.where(_before(source, before))
        if not_by is not None and source.actor_id is not None:
            query = query.where(or_(source.actor_id.is_(None), source.actor_id != not_by.id))
        query = query.order_by(source.at.desc(), source.row_id.desc()).limit(limit + 1)
        events.extend(source.to_event(row, by_id) for row in db.session.scalars(query).unique())
    events.sort(key=lambda event: (event.at, event.rank, event.row_id), reverse=True)
    page = events[:limit]
    return Page(page, page[-1].cursor if len(events) > limit else None)

