"""What workshops tell notifications: their kinds of events, the workshop as a target and
the waiting list's e-mail."""
from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workspace.notifications.kinds import DAILY, IMMEDIATE, Kind, register_kind
from workspace.notifications.targets import MailSpec, Target, register_mail, register_target
from workspace.workshops.models import Workshop

KINDS = (
    Kind("workshop_opened", _l("Nouveaux ateliers"),
         _l("Nouvel atelier : « %(title)s »"), DAILY, order=90),
    Kind("seat_confirmed", _l("Inscription confirmée à un atelier"),
         _l("Votre place est confirmée : « %(title)s »"), IMMEDIATE, order=100),
    Kind("seat_promoted", _l("Place libérée sur liste d'attente"),
         _l("Une place s'est libérée : « %(title)s »"), IMMEDIATE, order=110),
)


def init_notifications(app: Flask) -> None:
    for kind in KINDS:
        register_kind(app, kind)
    register_target(app, Target(
        "workshop", Workshop, title=lambda workshop: workshop.title,
        place=lambda workshop, network: ("workshops.workshop_detail", {
            "network_slug": network.slug, "workshop_id": workshop.id})))
    register_mail(app, "seat_promoted", MailSpec(
        "workshop_promoted", lambda r: _("Une place s'est libérée : %(title)s", title=r.title),
        lambda r, user: {"workshop": r.obj}))
