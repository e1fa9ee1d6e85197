"""Recording events as notifications, the users' choices, reading and marking them.

Features call `notify()` in the transaction of their change: it writes one row per recipient
(the recipient's choice decides site only, e-mail at once or a digest) and queues the
immediate e-mails as a job. What is sent is decided when the job runs (see delivery.py).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

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
from workspace.notifications.follows import follow_kind
from workspace.notifications.kinds import DIGESTS, IMMEDIATE, NONE, SITE, kinds
from workspace.notifications.kinds import kind as kind_named
from workspace.notifications.models import (
    MAIL_NONE,
    MAIL_PENDING,
    Notification,
    NotificationPreference,
)

TOKEN_SALT = "notifications-unsubscribe"


# --- recording -------------------------------------------------------------------------

def notify(kind: str, recipient_ids: Iterable[int], *, network: Network | None,
           target_type: str, target_id: int, actor: User | None = None,
           important: bool = False) -> list[Notification]:
    """One notification per recipient (never the actor, never twice for the same post);
    an important one is e-mailed at once to all but those who chose "nothing"."""
    described = kind_named(kind)
    if described is None:
        raise LookupError(f"notification kind {kind!r} is not registered")
    ids = {int(user_id) for user_id in recipient_ids if user_id is not None}
    ids.discard(actor.id if actor else None)
    if not ids:
        return []
    already: set[int] = set()
    if described.one_per_target:
        group = [name for name, other in kinds().items()
                 if other.one_per_target == described.one_per_target]
        already = set(db.session.scalars(select(Notification.user_id).where(
            Notification.target_type == target_type, Notification.target_id == target_id,
            Notification.kind.in_(group), Notification.user_id.in_(ids))))
    choices = channels_for(kind, ids - already)
    rows = []
    for user_id, channel in sorted(choices.items()):
        if channel == NONE:
            continue
        if important and not (channel == SITE and described.important_keeps_site):
            channel = IMMEDIATE  # whatever the digest setting
        mails = channel != SITE and not described.mail_elsewhere
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


# --- choices ---------------------------------------------------------------------------

def channels_for(kind: str, user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's channel for `kind` (the kind's default when they chose nothing)."""
    ids = set(user_ids)
    if not ids:
        return {}
    chosen = dict(db.session.execute(select(
        NotificationPreference.user_id, NotificationPreference.channel).where(
        NotificationPreference.kind == kind, NotificationPreference.user_id.in_(ids))).all())
    default = kind_named(kind).default
    return {user_id: chosen.get(user_id, default) for user_id in ids}


def channel_of(user: User, kind: str) -> str:
    return channels_for(kind, [user.id])[user.id]


def wants_email(user: User, kind: str) -> bool:
    return channel_of(user, kind) == IMMEDIATE


def preferences(user: User) -> dict[str, str]:
    chosen = dict(db.session.execute(select(
        NotificationPreference.kind, NotificationPreference.channel).where(
        NotificationPreference.user_id == user.id)).all())
    return {name: chosen.get(name, found.default) for name, found in kinds().items()}


def set_preference(user: User, kind: str, channel: str) -> None:
    known = kind_named(kind)
    if known is None:
        raise DomainError(_("Type de notification inconnu."))
    if channel not in known.channels:
        raise DomainError(_("Choix impossible pour « %(kind)s ».", kind=known.label))
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
    for name, known in kinds().items():
        value = values.get(name)
        if value is None or value not in known.channels:
            problems.append(_("« %(kind)s » : choisissez une des options proposées.",
                              kind=known.label))
    if problems:
        return problems
    for name in kinds():
        set_preference(user, name, values[name])
    return []


def stop_emails(user: User, scope: str) -> list[str]:
    """The unsubscribe link: a kind, or a whole digest, becomes "site only"."""
    if scope in DIGESTS:
        names = [name for name, channel in preferences(user).items() if channel == scope]
    else:
        names = [scope]
    for name in names:
        if channel_of(user, name) != NONE:
            set_preference(user, name, SITE)
    return names


# --- unsubscribe tokens ----------------------------------------------------------------
# One scheme for every e-mail: a kind ("mention"), a digest ("daily") or a follow
# ("follow:topic:12"), signed with the recipient's id.

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def follow_scope(kind: str, target_id: int) -> str:
    return f"follow:{kind}:{int(target_id)}"


def parse_follow_scope(scope: str) -> tuple[str, int] | None:
    """("topic", 12) for "follow:topic:12" when topics can be followed, else None."""
    parts = scope.split(":")
    if len(parts) != 3 or parts[0] != "follow" or follow_kind(parts[1]) is None \
            or not parts[2].isdigit() or len(parts[2]) > 10:
        return None
    return parts[1], int(parts[2])


def unsubscribe_token(user: User, scope: str) -> str:
    return _serializer().dumps([user.id, scope])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        user_id, scope = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(scope, str):
        return None
    if kind_named(scope) is None and scope not in DIGESTS and parse_follow_scope(scope) is None:
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


def unread_count_for_request(user) -> int:
    """The bell's number for this request: the one the sign-in statement read with the
    user, counted here only when it was not (or was dropped after marking read)."""
    if not user.is_authenticated:
        return 0
    known = g.get("_notification_unread")
    if known is None or known[0] != user.id:
        known = g._notification_unread = (user.id, unread_count(user))
    return known[1]


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
