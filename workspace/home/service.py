"""What the dashboard gathers for a user: what is new in my networks since my previous
visit, my upcoming meetings and workshops, my open actions, the unread topics I follow and
the recent documents of my networks.

Each box is one query (the "what is new" box, one per kind of event), whatever the amount
of data: the page costs a fixed number of SQL statements. Only what the user may see is
read: networks of which the user is a member (archived ones left out), or, for followed
topics and actions, networks the user may still see; hidden topics and posts and documents
in the trash never appear.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import joinedload

from workspace.activity.stream import Event, live_documents, read_stream
from workspace.auth.models import User
from workspace.core.models import utcnow
from workspace.core.timezones import utc_to_local
from workspace.documents.models import Document
from workspace.extensions import db
from workspace.forums.models import Topic, TopicRead
from workspace.home.models import DashboardVisit
from workspace.meetings.models import ACTION_OPEN, ActionItem, Meeting, Rsvp
from workspace.networks import service as networks
from workspace.networks.access import visible_network_ids
from workspace.networks.models import Network
from workspace.notifications.models import Follow
from workspace.polls.models import Poll
from workspace.polls.service import open_polls_asking
from workspace.workshops.models import CANCELLED, Registration, Workshop

VISIT_GAP = timedelta(hours=1)  # a dashboard view after this long starts a new visit
FIRST_VISIT_WINDOW = timedelta(days=14)  # "new" on a first visit: the last two weeks
NEW_LIMIT = 15
UPCOMING_LIMIT = 8
ACTIONS_LIMIT = 10
TOPICS_LIMIT = 10
DOCUMENTS_LIMIT = 8


def record_visit(user: User, now: datetime | None = None) -> datetime | None:
    """Note this dashboard view; return the "since" mark (the previous visit), None on a
    first visit. Writes at most once per VISIT_GAP; flushes, never commits."""
    now = now or utcnow()
    visit = db.session.get(DashboardVisit, user.id)
    if visit is None:
        db.session.add(DashboardVisit(user_id=user.id, seen_at=now))
        db.session.flush()
        return None
    if now - visit.seen_at >= VISIT_GAP:
        visit.previous_seen_at, visit.seen_at = visit.seen_at, now
        db.session.flush()
    return visit.previous_seen_at


@dataclass
class Dashboard:
    networks: list[tuple[Network, str]]
    since: datetime | None  # None: first visit, "new" means the last FIRST_VISIT_WINDOW
    now: datetime
    today: date  # in Paris: an action due today is not late
    new_events: list[Event] = field(default_factory=list)
    more_new: bool = False
    meetings: list[tuple[Meeting, Network, str | None]] = field(default_factory=list)
    workshops: list[tuple[Workshop, Network, str | None]] = field(default_factory=list)
    actions: list[tuple[ActionItem, Network]] = field(default_factory=list)
    topics: list[tuple[Topic, Network, int]] = field(default_factory=list)
    documents: list[tuple[Document, Network]] = field(default_factory=list)
    polls: list[tuple[Poll, Network, bool]] = field(default_factory=list)  # answered?


def dashboard(user: User, since: datetime | None, now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    mine = networks.my_networks(user)
    board = Dashboard(networks=mine, since=since, now=now, today=utc_to_local(now).date())
    member_of = [network for network, _role in mine]
    visible = visible_network_ids(user)
    if member_of:
        page = read_stream(member_of, limit=NEW_LIMIT, since=since or now - FIRST_VISIT_WINDOW,
                           not_by=user)
        board.new_events, board.more_new = page.events, page.next_cursor is not None
        ids = [network.id for network in member_of]
        board.meetings = upcoming_meetings(user, ids, now)
        board.workshops = upcoming_workshops(user, ids, now)
        board.documents = recent_documents(ids)
        board.polls = open_polls_asking(user, ids, now)
    if visible:
        board.actions = open_actions(user, visible)
        board.topics = unread_followed_topics(user, visible)
    return board


def upcoming_meetings(user: User, network_ids: list[int], now: datetime
                      ) -> list[tuple[Meeting, Network, str | None]]:
    """Meetings not yet over, with the user's answer (None: not answered)."""
    rows = db.session.execute(
        select(Meeting, Network, Rsvp.answer)
        .join(Network, Network.id == Meeting.network_id)
        .outerjoin(Rsvp, and_(Rsvp.meeting_id == Meeting.id, Rsvp.user_id == user.id))
        .where(Meeting.network_id.in_(network_ids), Meeting.ends_at >= now,
               Meeting.is_cancelled.is_(False))
        .order_by(Meeting.starts_at, Meeting.id).limit(UPCOMING_LIMIT))
    return [tuple(row) for row in rows]


def upcoming_workshops(user: User, network_ids: list[int], now: datetime
                       ) -> list[tuple[Workshop, Network, str | None]]:
    """Workshops not yet over, with the user's registration status (None: not registered,
    a cancelled registration counts as none)."""
    rows = db.session.execute(
        select(Workshop, Network, Registration.status)
        .join(Network, Network.id == Workshop.network_id)
        .outerjoin(Registration, and_(Registration.workshop_id == Workshop.id,
                                      Registration.user_id == user.id,
                                      Registration.status != CANCELLED))
        .where(Workshop.network_id.in_(network_ids), Workshop.ends_at >= now,
               Workshop.is_cancelled.is_(False))
        .order_by(Workshop.starts_at, Workshop.id).limit(UPCOMING_LIMIT))
    return [tuple(row) for row in rows]


def open_actions(user: User, network_ids: set[int]) -> list[tuple[ActionItem, Network]]:
    """Open actions owned by the user, or by the user's commune when no person owns them;
    soonest due first, those without a date last."""
    owner = ActionItem.owner_user_id == user.id
    if user.organisation_id is not None:
        owner = or_(owner, and_(ActionItem.owner_user_id.is_(None),
                                ActionItem.owner_organisation_id == user.organisation_id))
    rows = db.session.execute(
        select(ActionItem, Network).join(Network, Network.id == ActionItem.network_id)
        .options(joinedload(ActionItem.meeting), joinedload(ActionItem.owner_organisation))
        .where(ActionItem.network_id.in_(network_ids), ActionItem.status == ACTION_OPEN, owner)
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        .limit(ACTIONS_LIMIT))
    return [tuple(row) for row in rows]


def unread_followed_topics(user: User, network_ids: set[int]
                           ) -> list[tuple[Topic, Network, int]]:
    """Visible topics the user follows (the topic itself or its category) with posts after
    the user's read position, and how many; most recent activity first."""
    position = func.coalesce(TopicRead.last_read_number, 0)
    followed = exists().where(Follow.user_id == user.id, or_(
        and_(Follow.target_type == "topic", Follow.target_id == Topic.id),
        and_(Follow.target_type == "category", Follow.target_id == Topic.category_id)))
    rows = db.session.execute(
        select(Topic, Network, Topic.last_number - position)
        .join(Network, Network.id == Topic.network_id)
        .outerjoin(TopicRead, and_(TopicRead.topic_id == Topic.id, TopicRead.user_id == user.id))
        .options(joinedload(Topic.last_post_author))
        .where(Topic.network_id.in_(network_ids), Topic.is_hidden.is_(False), followed,
               Topic.last_number > position)
        .order_by(Topic.last_post_at.desc(), Topic.id.desc()).limit(TOPICS_LIMIT))
    return [tuple(row) for row in rows]


def recent_documents(network_ids: list[int]) -> list[tuple[Document, Network]]:
    """The latest documents added or updated, out of the trash and of trashed folders."""
    rows = db.session.execute(
        select(Document, Network).join(Network, Network.id == Document.network_id)
        .options(joinedload(Document.current_version))
        .where(*live_documents(network_ids))
        .order_by(Document.updated_at.desc(), Document.id.desc()).limit(DOCUMENTS_LIMIT))
    return [tuple(row) for row in rows]
