"""What meetings tell notifications: their kinds of events and their objects as targets."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from workspace.meetings.models import ActionItem, Meeting
from workspace.notifications.kinds import DAILY, IMMEDIATE, NONE, SITE, Kind, register_kind
from workspace.notifications.targets import Target, register_target

KINDS = (
    Kind("meeting_scheduled", _l("Réunions programmées"),
         _l("Réunion programmée : « %(title)s »"), DAILY, order=40),
    Kind("meeting_changed", _l("Réunions modifiées ou annulées"),
         _l("Réunion modifiée : « %(title)s »"), IMMEDIATE, order=50),
    Kind("minutes_published", _l("Comptes rendus publiés"),
         _l("Compte rendu publié : « %(title)s »"), DAILY, order=60),
    Kind("action_assigned", _l("Actions qui me sont confiées"),
         _l("%(actor)s vous a confié l'action « %(title)s »"), IMMEDIATE, order=70),
    # the overdue reminder is its own daily e-mail (calendar/reminders.py): no digest
    Kind("action_overdue", _l("Actions en retard"),
         _l("Action en retard : « %(title)s »"), IMMEDIATE, (IMMEDIATE, SITE, NONE), order=80,
         mail_elsewhere=True),
)


def _action_place(item: ActionItem, network) -> tuple[str, dict]:
    if item.meeting_id is not None:
        return "meetings.meeting_detail", {"network_slug": network.slug,
                                           "meeting_id": item.meeting_id}
    return "meetings.action_list", {"network_slug": network.slug}


def init_notifications(app: Flask) -> None:
    for kind in KINDS:
        register_kind(app, kind)
    register_target(app, Target(
        "meeting", Meeting, title=lambda meeting: meeting.title,
        place=lambda meeting, network: ("meetings.meeting_detail", {
            "network_slug": network.slug, "meeting_id": meeting.id})))
    register_target(app, Target("action_item", ActionItem, title=lambda item: item.title,
                                place=_action_place))
