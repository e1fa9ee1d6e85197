"""Reminders by e-mail: meetings and workshops about to start, overdue action items.

Recipients are chosen when the job runs: someone who has since left the network, lost access
or been disabled gets nothing. The job's changes (the "sent" marks and the queued e-mails)
commit together, so a failed run sends nothing and is retried whole.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select, update

from workspace.auth.models import User
from workspace.calendar.access import can_receive_reminder
from workspace.core.i18n import datetime_filter
from workspace.core.mail import queue_template_mail
from workspace.core.models import utcnow
from workspace.core.timezones import PARIS
from workspace.core.urls import public_url
from workspace.extensions import db
from workspace.meetings.models import ACTION_OPEN, ANSWER_YES, ActionItem, Meeting, Rsvp
from workspace.networks.models import Membership, Network
from workspace.notifications import delivery as notification_mail
from workspace.notifications import service as notifications
from workspace.workshops.models import CONFIRMED, Registration, Workshop

ACTION_REMINDER_INTERVAL = timedelta(days=7)


# --- meetings and workshops about to start ----------------------------------------------

def _due(model, now: datetime, horizon: datetime) -> list:
    return list(db.session.scalars(select(model).where(
        model.starts_at > now, model.starts_at <= horizon, model.is_cancelled.is_(False),
        model.reminder_sent_at.is_(None)).order_by(model.starts_at, model.id)))


def _claim(model, object_id: int, now: datetime) -> bool:
    """Mark the reminder as sent; False if another run marked it first."""
    result = db.session.execute(update(model).where(
        model.id == object_id, model.reminder_sent_at.is_(None))
        .values(reminder_sent_at=now).execution_options(synchronize_session="fetch"))
    return result.rowcount == 1


def _remind(user: User, item: Meeting | Workshop, network: Network, template: str,
            link: str) -> None:
    with force_locale(user.locale or "fr"):
        subject = _("Rappel : %(title)s, %(when)s", title=item.title,
                    when=datetime_filter(item.starts_at, "long"))
    queue_template_mail(user, subject, template, item=item, network=network, link=link)


def _remind_meeting(meeting: Meeting, network: Network) -> int:
    people = db.session.scalars(select(User).join(Rsvp, Rsvp.user_id == User.id).where(
        Rsvp.meeting_id == meeting.id, Rsvp.answer == ANSWER_YES)).all()
    link = public_url("meetings.meeting_detail", network_slug=network.slug,
                      meeting_id=meeting.id)
    recipients = [user for user in people if can_receive_reminder(user, network)]
    for user in recipients:
        _remind(user, meeting, network, "meeting_reminder", link)
    return len(recipients)


def _remind_workshop(workshop: Workshop, network: Network) -> int:
    people = db.session.scalars(select(User).join(Registration, Registration.user_id == User.id)
                                .where(Registration.workshop_id == workshop.id,
                                       Registration.status == CONFIRMED)).all()
    link = public_url("workshops.workshop_detail", network_slug=network.slug,
                      workshop_id=workshop.id)
    recipients = [user for user in people if can_receive_reminder(user, network)]
    for user in recipients:
        _remind(user, workshop, network, "workshop_reminder", link)
    return len(recipients)


def send_event_reminders(now: datetime) -> int:
    """E-mail the people expected (answered yes, registration confirmed) at meetings and
    workshops starting within REMINDER_HOURS_BEFORE hours, once per event; returns the
    number of e-mails queued."""
    hours = current_app.config.get("REMINDER_HOURS_BEFORE", 24)
    horizon = now + timedelta(hours=hours)
    sent = 0
    for model, remind in ((Meeting, _remind_meeting), (Workshop, _remind_workshop)):
        for item in _due(model, now, horizon):
            if _claim(model, item.id, now):
                sent += remind(item, db.session.get(Network, item.network_id))
    return sent


def event_reminders_job(payload: dict) -> None:
    send_event_reminders(utcnow())


# --- overdue action items --------------------------------------------------------------

def _action_recipients(item: ActionItem, network: Network) -> list[User]:
    """The owner; for a commune, its people who are members of the item's network."""
    if item.owner_user_id is not None:
        candidates = [item.owner_user]
    elif item.owner_organisation_id is not None:
        candidates = db.session.scalars(select(User).join(
            Membership, Membership.user_id == User.id).where(
            Membership.network_id == item.network_id,
            User.organisation_id == item.owner_organisation_id)).all()
    else:
        candidates = []
    return [user for user in candidates if can_receive_reminder(user, network)]


def _action_link(item: ActionItem, network: Network) -> str:
    if item.meeting_id is not None:
        return public_url("meetings.meeting_detail", network_slug=network.slug,
                          meeting_id=item.meeting_id)
    return public_url("network.detail", network_slug=network.slug)


def remind_overdue_actions(today: date) -> int:
    """One e-mail per person listing their open action items past due (`today` is Paris's
    date), each item at most once every ACTION_REMINDER_INTERVAL; returns e-mails queued."""
    items = db.session.scalars(select(ActionItem).where(
        ActionItem.status == ACTION_OPEN, ActionItem.due_on < today,
        ActionItem.reminded_on.is_(None)
        | (ActionItem.reminded_on <= today - ACTION_REMINDER_INTERVAL))
        .order_by(ActionItem.due_on, ActionItem.id)).all()
    by_person: dict[int, list[tuple[ActionItem, Network, str]]] = defaultdict(list)
    people: dict[int, User] = {}
    for item in items:
        network = db.session.get(Network, item.network_id)
        recipients = _action_recipients(item, network)
        for user in recipients:
            people[user.id] = user
            by_person[user.id].append((item, network, _action_link(item, network)))
        if recipients:
            item.reminded_on = today
            notifications.notify("action_overdue", [user.id for user in recipients],
                                 network=network, target_type="action_item", target_id=item.id)
    sent = 0
    for user_id, entries in by_person.items():
        user = people[user_id]
        if not notifications.wants_email(user, "action_overdue"):
            continue  # "site only" or "nothing" chosen in the notification preferences
        with force_locale(user.locale or "fr"):
            subject = ngettext("%(num)d action en retard à mettre à jour",
                               "%(num)d actions en retard à mettre à jour", len(entries))
        footer = notification_mail.footer_context(user, "action_overdue")
        queue_template_mail(user, subject, "action_overdue", entries=entries,
                            headers=notification_mail.list_headers(footer["stop_link"]),
                            **footer)
        sent += 1
    return sent


def overdue_actions_job(payload: dict) -> None:
    remind_overdue_actions(utcnow().astimezone(PARIS).date())
