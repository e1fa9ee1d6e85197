"""Sending: immediate e-mails and the daily / weekly digests.

Everything is decided when the job runs: the recipient must still be active and still allowed
to see the object (a member removed from a private network gets nothing more about it, even
from a digest queued before). Every e-mail carries a signed unsubscribe link that works
without signing in, and the List-Unsubscribe / List-Unsubscribe-Post headers (RFC 8058).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from itertools import groupby

from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from workspace.auth.models import User
from workspace.core.mail import queue_mail
from workspace.core.models import utcnow
from workspace.core.urls import public_url
from workspace.extensions import db
from workspace.notifications.kinds import DAILY, IMMEDIATE, WEEKLY
from workspace.notifications.kinds import kind as kind_named
from workspace.notifications.models import MAIL_DROPPED, MAIL_PENDING, MAIL_SENT, Notification
from workspace.notifications.service import unsubscribe_token
from workspace.notifications.targets import (
    Resolved,
    mail_spec,
    preload,
    reply_address,
    resolve,
)

DIGEST_LIMIT = 200  # items listed in one digest (NOTIFICATIONS_DIGEST_LIMIT); the rest is
                    # counted ("et N autres") and linked to the notifications page


def actor_name(resolved: Resolved) -> str:
    """The actor's name as it is now (an anonymised or deleted member shows no name)."""
    if resolved.actor is None:
        return _("ancien membre")
    return resolved.actor.full_name


def sentence(resolved: Resolved) -> str:
    """What happened, in the current language, from the objects as they are now."""
    kind = kind_named(resolved.notification.kind)
    return str(kind.sentence) % {"actor": actor_name(resolved), "title": resolved.title,
                                 "network": resolved.network.name if resolved.network else ""}


def link_of(resolved: Resolved) -> str:
    endpoint, values = resolved.place
    return public_url(endpoint, **values)


def footer_context(user: User, kind: str) -> dict:
    """What `mail/notification_footer.txt` needs, for e-mails that features send themselves."""
    return {"stop_link": _unsubscribe(user, kind), "kind_label": kind_named(kind).label,
            "preferences": public_url("notifications.preferences")}


def list_headers(link: str) -> dict[str, str]:
    return _headers(link)


def _headers(link: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _unsubscribe(user: User, scope: str) -> str:
    return public_url("notifications_public.unsubscribe",
                      ntoken=unsubscribe_token(user, scope))


# --- e-mail at once --------------------------------------------------------------------

def send_one(notification: Notification) -> bool:
    """Queue the e-mail of one notification if its recipient may still see its object."""
    user = db.session.get(User, notification.user_id)
    resolved = resolve(notification, user) if user is not None else None
    if resolved is None:
        notification.mail_state = MAIL_DROPPED
        return False
    unsubscribe = _unsubscribe(user, notification.kind)
    spec = mail_spec(notification.kind)
    with force_locale(user.locale or "fr"):
        context = {"resolved": resolved, "network": resolved.network, "link": link_of(resolved),
                   "sentence": sentence(resolved), "stop_link": unsubscribe,
                   "kind_label": kind_named(notification.kind).label,
                   "preferences": public_url("notifications.preferences")}
        list_link = unsubscribe
        if spec is not None:
            extra = spec.context(resolved, user)
            if extra is None:  # the feature says: nothing to send any more
                notification.mail_state = MAIL_DROPPED
                return False
            list_link = extra.pop("list_unsubscribe", None) or unsubscribe
            context.update(extra)
            subject = spec.subject(resolved)
            body = render_template(f"mail/{spec.template}.txt", user=user, **context)
        else:
            subject = context["sentence"]
            if resolved.network is not None:
                subject = f"[{resolved.network.name}] {subject}"
            body = render_template("mail/notification.txt", user=user, **context)
        body += render_template("mail/notification_footer.txt", user=user, **context)
    headers = _headers(list_link)
    replies_to = reply_address(resolved, user)
    if replies_to:  # a reply to this e-mail becomes a post (workspace.mailin)
        headers["Reply-To"] = replies_to
    queue_mail(user.email, subject, body, headers=headers)
    notification.mail_state, notification.mailed_at = MAIL_SENT, utcnow()
    return True


def send_immediate(payload: dict) -> None:
    for notification_id in payload.get("ids", []):
        notification = db.session.get(Notification, notification_id)
        if notification is not None and notification.mail_state == MAIL_PENDING:
            send_one(notification)


# --- digests ---------------------------------------------------------------------------

def send_digests(channel: str, now: datetime | None = None) -> int:
    """One e-mail per person listing every pending notification of this digest that they
    may still see, grouped by network and kind; returns how many e-mails were queued."""
    now = now or utcnow()
    pending = db.session.scalars(select(Notification).where(
        Notification.mail_state == MAIL_PENDING, Notification.channel == channel,
        Notification.created_at <= now).order_by(Notification.user_id,
                                                 Notification.created_at)).all()
    sent = 0
    for user_id, rows in groupby(pending, key=lambda row: row.user_id):
        if _send_digest(db.session.get(User, user_id), list(rows), channel):
            sent += 1
    return sent


def _send_digest(user: User | None, rows: list[Notification], channel: str) -> bool:
    loaded = preload(rows)  # noqa: F841 - held while resolving
    visible = []
    for row in rows:
        resolved = resolve(row, user) if user is not None else None
        row.mail_state = MAIL_SENT if resolved is not None else MAIL_DROPPED
        row.mailed_at = utcnow()
        if resolved is not None:
            visible.append(resolved)
    if not visible:
        return False
    limit = int(current_app.config.get("NOTIFICATIONS_DIGEST_LIMIT", DIGEST_LIMIT))
    shown, more = visible[:limit], len(visible) - limit
    groups: dict[tuple, list] = defaultdict(list)
    for resolved in shown:
        network_name = resolved.network.name if resolved.network else ""
        groups[(network_name, resolved.notification.kind)].append(resolved)
    unsubscribe = _unsubscribe(user, channel)
    with force_locale(user.locale or "fr"):
        sections = [{"network": network, "label": str(kind_named(kind).label),
                     "items": [(sentence(r), link_of(r), reply_address(r, user))
                               for r in items]}
                    for (network, kind), items in sorted(groups.items())]
        if channel == DAILY:
            subject = ngettext("Votre résumé du jour : %(num)d notification",
                               "Votre résumé du jour : %(num)d notifications", len(visible))
        else:
            subject = ngettext("Votre résumé de la semaine : %(num)d notification",
                               "Votre résumé de la semaine : %(num)d notifications",
                               len(visible))
        context = {"sections": sections, "more": max(more, 0), "channel": channel,
                   "all_link": public_url("notifications.notification_list"),
                   "stop_link": unsubscribe, "kind_label": None,
                   "preferences": public_url("notifications.preferences")}
        body = render_template("mail/notification_digest.txt", user=user, **context)
        body += render_template("mail/notification_footer.txt", user=user, **context)
    queue_mail(user.email, subject, body, headers=_headers(unsubscribe))
    return True


def _slot_day(payload: dict) -> date:
    try:
        return date.fromisoformat(str(payload.get("slot")))
    except ValueError:
        return utcnow().date()


def daily_digest_job(payload: dict) -> None:
    send_digests(DAILY)


def weekly_digest_job(payload: dict) -> None:
    if _slot_day(payload).weekday() == 0:  # Monday (Paris date of the slot)
        send_digests(WEEKLY)


def init_delivery(app) -> None:
    from workspace.core.jobs import register_job, register_periodic

    register_job(app, "notifications.send", send_immediate)
    register_job(app, "notifications.daily_digest", daily_digest_job)
    register_job(app, "notifications.weekly_digest", weekly_digest_job)
    register_periodic(app, "notifications.daily_digest", "notifications.daily_digest",
                      daily_at="07:00")
    register_periodic(app, "notifications.weekly_digest", "notifications.weekly_digest",
                      daily_at="07:15")


__all__ = ["send_digests", "send_one", "sentence", "link_of", "actor_name", "IMMEDIATE"]
