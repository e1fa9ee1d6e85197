"""Recording events as notifications, the users' choices, reading and marking them.

Features call `notify()` in the transaction of their change: it writes one row per recipient
(the recipient's choice decides site only, e-mail at once or a digest) and queues the
immediate e-mails as a job. What is sent is decided when the job runs (see delivery.py).
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, or_, select, update

from workspace.auth.models import User
from workspace.core.errors import DomainError
from workspace.core.jobs import enqueue
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.networks import access as network_access
from workspace.networks.models import Membership, Network
from workspace.notifications.kinds import DIGESTS, IMMEDIATE, KINDS, NONE, SITE
from workspace.notifications.models import (MAIL_NONE, MAIL_PENDING, FolderSubscription,
                                            Notification, NotificationPreference)

TOKEN_SALT = "notifications-unsubscribe"
# kinds whose e-mail is sent by their own feature (the overdue reminder groups the items)
MAIL_ELSEWHERE = {"action_overdue"}
ONE_PER_POST = ("announcement", "mention", "forum_post")


# --- recording -------------------------------------------------------------------------

def notify(kind: str, recipient_ids: Iterable[int], *, network: Network | None,
           target_type: str, target_id: int, actor: User | None = None,
           important: bool = False) -> list[Notification]:
    """One notification per recipient (never the actor, never twice for the same post);
    an important one is e-mailed at once to all but those who chose "nothing"."""
    ids = {int(user_id) for user_id in recipient_ids if user_id is not None}
    ids.discard(actor.id if actor else None)
    if not ids:
        return []
    already: set[int] = set()
    if kind in ONE_PER_POST:  # a post mentioning a follower: one notification, the mention
        already = set(db.session.scalars(select(Notification.user_id).where(
            Notification.target_type == target_type, Notification.target_id == target_id,
            Notification.kind.in_(ONE_PER_POST), Notification.user_id.in_(ids))))
    choices = channels_for(kind, ids - already)
    rows = []
    for user_id, channel in sorted(choices.items()):
        if channel == NONE:
            continue
        if important and not (kind == "announcement" and channel == SITE):
            channel = IMMEDIATE  # whatever the digest setting; "site only" for announcements holds
        mails = channel != SITE and kind not in MAIL_ELSEWHERE
        rows.append(Notification(
            user_id=user_id, kind=kind, network_id=network.id if network else None,
            actor_id=actor.id if actor else None, target_type=target_type,
            target_id=target_id, is_important=important, channel=channel,
            mail_state=MAIL_PENDING if mails else MAIL_NONE, created_at=utcnow()))
    db.session.add_all(rows)
    db.session.flush()
    immediate = [row.id for row in rows if row.mail_state == MAIL_PENDING
                 and row.channel == IMMEDIATE]
    if immediate:
        enqueue("notifications.send", {"ids": immediate})
    return rows


def member_ids(network: Network) -> list[int]:
    """Active members of the network (the audience of network-wide events)."""
    return list(db.session.scalars(select(User.id).join(
        Membership, Membership.user_id == User.id).where(
        Membership.network_id == network.id, User.is_active.is_(True))))


def owner_ids(network: Network, owner_user: User | None, owner_organisation) -> list[int]:
    """Who carries an action: the person, or the commune's people in the network."""
    if owner_user is not None:
        return [owner_user.id]
    if owner_organisation is None:
        return []
    return list(db.session.scalars(select(User.id).join(
        Membership, Membership.user_id == User.id).where(
        Membership.network_id == network.id, User.is_active.is_(True),
        User.organisation_id == owner_organisation.id)))


def notify_new_documents(actor: User, network: Network, folder, documents: list) -> None:
    """Followers of the folder, or of a folder above it, hear of each new document."""
    if folder is None or not documents:
        return
    folder_ids, current, seen = [], folder, set()
    while current is not None and current.id not in seen:  # a loop would be a bug: stop
        seen.add(current.id)
        folder_ids.append(current.id)
        current = current.parent
    followers = folder_follower_ids(folder_ids)
    for document in documents:
        notify("new_document", followers, network=network, target_type="document",
               target_id=document.id, actor=actor)


# --- choices ---------------------------------------------------------------------------

def channels_for(kind: str, user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's channel for `kind` (the kind's default when they chose nothing)."""
    ids = set(user_ids)
    if not ids:
        return {}
    chosen = dict(db.session.execute(select(
        NotificationPreference.user_id, NotificationPreference.channel).where(
        NotificationPreference.kind == kind, NotificationPreference.user_id.in_(ids))).all())
    default = KINDS[kind].default
    return {user_id: chosen.get(user_id, default) for user_id in ids}


def channel_of(user: User, kind: str) -> str:
    return channels_for(kind, [user.id])[user.id]


def wants_email(user: User, kind: str) -> bool:
    return channel_of(user, kind) == IMMEDIATE


def preferences(user: User) -> dict[str, str]:
    chosen = dict(db.session.execute(select(
        NotificationPreference.kind, NotificationPreference.channel).where(
        NotificationPreference.user_id == user.id)).all())
    return {name: chosen.get(name, kind.default) for name, kind in KINDS.items()}


def set_preference(user: User, kind: str, channel: str) -> None:
    if kind not in KINDS:
        raise DomainError(_("Type de notification inconnu."))
    if channel not in KINDS[kind].channels:
        raise DomainError(_("Choix impossible pour « %(kind)s ».", kind=KINDS[kind].label))
    row = db.session.scalar(select(NotificationPreference).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == kind))
    if row is None:
        db.session.add(NotificationPreference(user_id=user.id, kind=kind, channel=channel))
    else:
        row.channel = channel
    db.session.flush()


def save_preferences(user: User, values: dict[str, str | None]) -> list[str]:
    """Check every choice first; save all or nothing. Returns the problems (French)."""
    problems = []
    for name, kind in KINDS.items():
        value = values.get(name)
        if value is None or value not in kind.channels:
            problems.append(_("« %(kind)s » : choisissez une des options proposées.",
                              kind=kind.label))
    if problems:
        return problems
    for name in KINDS:
        set_preference(user, name, values[name])
    return []


def stop_emails(user: User, scope: str) -> list[str]:
    """The unsubscribe link: a kind, or a whole digest, becomes "site only"."""
    if scope in DIGESTS:
        kinds = [name for name, channel in preferences(user).items() if channel == scope]
    else:
        kinds = [scope]
    for name in kinds:
        if channel_of(user, name) != NONE:
            set_preference(user, name, SITE)
    return kinds


# --- unsubscribe tokens ----------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def unsubscribe_token(user: User, scope: str) -> str:
    return _serializer().dumps([user.id, scope])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        user_id, scope = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not (scope in KINDS or scope in DIGESTS):
        return None
    return user_id, scope


# --- reading ---------------------------------------------------------------------------

def _visible_filter(user_id, is_admin):
    """Notifications of networks the user may see, or of none (`user_id` and `is_admin`:
    values, or columns of a correlated `users` row)."""
    from workspace.notifications.targets import network_free_types

    return or_(Notification.network_id.is_(None),
               Notification.network_id.in_(
                   network_access.visible_networks_select(user_id, is_admin)),
               Notification.target_type.in_(network_free_types()))


def unread_count(user: User) -> int:
    """The bell: one indexed COUNT, networks the user may no longer see left out."""
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None),
        _visible_filter(user.id, user.is_admin))) or 0


def unread_count_column(users):
    """The bell's count as a column of the sign-in statement (`auth.service.add_to_sign_in`):
    every page shows it, so it is read with the user rather than by a statement of its own."""
    return (select(func.count(Notification.id))
            .where(Notification.user_id == users.c.id, Notification.read_at.is_(None),
                   _visible_filter(users.c.id, users.c.is_admin))
            .scalar_subquery())


def receive_unread_count(user: User, count: int | None) -> None:
    g._notification_unread = (user.id, count or 0)


def _forget_unread_count() -> None:
    """After marking read: the bell of this request's page counts again."""
    if has_request_context():
        g.pop("_notification_unread", None)


def listing_query(user: User, unread_only: bool = False):
    query = select(Notification).where(Notification.user_id == user.id,
                                       _visible_filter(user.id, user.is_admin))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def mark_read(user: User, notification: Notification) -> None:
    if notification.user_id != user.id:
        raise DomainError(_("Notification introuvable."))
    if notification.read_at is None:
        notification.read_at = utcnow()
        _forget_unread_count()


def mark_all_read(user: User, before: datetime | None = None) -> int:
    """Mark read what the user had in front of them (nothing newer than `before`)."""
    query = update(Notification).where(Notification.user_id == user.id,
                                       Notification.read_at.is_(None))
    if before is not None:
        query = query.where(Notification.created_at <= before)
    result = db.session.execute(query.values(read_at=utcnow())
                                .execution_options(synchronize_session=False))
    _forget_unread_count()
    return result.rowcount or 0


# --- followed folders ------------------------------------------------------------------

def is_following_folder(user: User, folder) -> bool:
    return db.session.scalar(select(FolderSubscription.id).where(
        FolderSubscription.user_id == user.id,
        FolderSubscription.folder_id == folder.id)) is not None


def follow_folder(user: User, folder) -> None:
    if not is_following_folder(user, folder):
        db.session.add(FolderSubscription(user_id=user.id, folder_id=folder.id))
        db.session.flush()


def unfollow_folder(user: User, folder) -> None:
    row = db.session.scalar(select(FolderSubscription).where(
        FolderSubscription.user_id == user.id, FolderSubscription.folder_id == folder.id))
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def folder_follower_ids(folder_ids: Iterable[int]) -> set[int]:
    ids = list(folder_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(FolderSubscription.user_id).where(
        FolderSubscription.folder_id.in_(ids))))
