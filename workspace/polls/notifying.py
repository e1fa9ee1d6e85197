"""What date polls tell notifications: invitations, reminders, the chosen date and the
cancellation, the poll as a target, and the e-mails of the invitation and the chosen date."""
from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workspace.core.urls import public_url
from workspace.extensions import db
from workspace.notifications.kinds import IMMEDIATE, Kind, register_kind
from workspace.notifications.targets import MailSpec, Target, register_mail, register_target
from workspace.polls import access
from workspace.polls.models import CONCLUDED, Poll, PollSlot

KINDS = (
    Kind("poll_opened", _l("Sondages de date qui me sont adressés"),
         _l("Quand êtes-vous disponible ? « %(title)s »"), IMMEDIATE, order=35),
    Kind("poll_reminder", _l("Rappels des sondages sans réponse"),
         _l("Le sondage « %(title)s » se clôt bientôt : vous n'avez pas répondu"),
         IMMEDIATE, order=36),
    Kind("poll_concluded", _l("Date retenue par un sondage"),
         _l("Date retenue : « %(title)s »"), IMMEDIATE, order=37),
    Kind("poll_cancelled", _l("Sondages de date annulés"),
         _l("Sondage annulé : « %(title)s »"), IMMEDIATE, order=38),
)


def _place(poll: Poll, network) -> tuple[str, dict]:
    return "polls.poll_detail", {"network_slug": network.slug, "poll_id": poll.id}


def _invitation(resolved, user) -> dict | None:
    poll = resolved.obj
    if not access.is_open(poll):
        return None  # closed before the e-mail left: nothing to ask any more
    return {"poll": poll}


def _conclusion(resolved, user) -> dict | None:
    poll = resolved.obj
    if poll.status != CONCLUDED:
        return None
    network = resolved.network
    slot = db.session.get(PollSlot, poll.chosen_slot_id) if poll.chosen_slot_id else None
    if poll.meeting_id is not None:
        event = public_url("meetings.meeting_detail", network_slug=network.slug,
                           meeting_id=poll.meeting_id)
        ics = public_url("calendar.meeting_ics", network_slug=network.slug,
                         meeting_id=poll.meeting_id)
    elif poll.workshop_id is not None:
        event = public_url("workshops.workshop_detail", network_slug=network.slug,
                           workshop_id=poll.workshop_id)
        ics = public_url("calendar.workshop_ics", network_slug=network.slug,
                         workshop_id=poll.workshop_id)
    else:
        return None  # the event has since been deleted
    return {"poll": poll, "slot": slot, "event_link": event, "ics_link": ics,
            "feed_link": public_url("calendar_feed.feed_settings")}


def init_notifications(app: Flask) -> None:
    for kind in KINDS:
        register_kind(app, kind)
    register_target(app, Target(
        "poll", Poll, title=lambda poll: poll.title, place=_place,
        visible=lambda user, poll, network: access.can_see_poll(user, poll)))
    register_mail(app, "poll_opened", MailSpec(
        "poll_invitation", lambda r: _("[%(network)s] Quand êtes-vous disponible ? %(title)s",
                                       network=r.network.name, title=r.title), _invitation))
    register_mail(app, "poll_concluded", MailSpec(
        "poll_concluded", lambda r: _("[%(network)s] Date retenue : %(title)s",
                                      network=r.network.name, title=r.title), _conclusion))
