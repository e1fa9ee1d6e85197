"""Join requests and their answers as notifications: networks raises the events (its
`join_requested` and `join_answered` signals), notifications listens, so that networks
imports nothing of it."""
from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workspace.core.urls import public_url
from workspace.networks import access as network_access
from workspace.networks.models import REQUEST_APPROVED, JoinRequest
from workspace.networks.service import coordinators, join_answered, join_requested
from workspace.notifications.kinds import IMMEDIATE, Kind, register_kind
from workspace.notifications.service import notify
from workspace.notifications.targets import MailSpec, Target, register_mail, register_target


def _on_join_requested(join_request: JoinRequest, **_unused) -> None:
    network = join_request.network
    notify("join_request", [coordinator.id for coordinator in coordinators(network)],
           network=network, target_type="join_request", target_id=join_request.id,
           actor=join_request.user)


def _on_join_answered(join_request: JoinRequest, actor=None, **_unused) -> None:
    notify("join_decision", [join_request.user_id], network=join_request.network,
           target_type="join_answer", target_id=join_request.id, actor=actor)


def _slug(network) -> dict:
    return {"network_slug": network.slug}


def init_joins(app: Flask) -> None:
    register_kind(app, Kind("join_request", _l("Demandes d'adhésion (coordinateurs)"),
                            _l("%(actor)s demande à rejoindre le réseau « %(network)s »"),
                            IMMEDIATE, order=120))
    register_kind(app, Kind("join_decision", _l("Réponse à mes demandes d'adhésion"),
                            _l("Réponse à votre demande d'adhésion au réseau « %(network)s »"),
                            IMMEDIATE, order=130))
    # a request, as the coordinators see it: only while they manage the network
    register_target(app, Target(
        "join_request", JoinRequest, title=lambda request: request.network.name,
        place=lambda request, network: ("network.request_list", _slug(network)),
        visible=lambda user, request, network: network_access.can_manage_network(
            user, network)))
    # the answer, as the requester sees it: theirs, even when they were refused
    register_target(app, Target(
        "join_answer", JoinRequest, title=lambda request: request.network.name,
        place=lambda request, network: ("networks.network_list", {}),
        visible=lambda user, request, network: request.user_id == user.id,
        needs_network_view=False))
    register_mail(app, "join_request", MailSpec(
        "join_request", lambda r: _("Demande d'adhésion au réseau %(name)s",
                                    name=r.network.name),
        lambda r, user: {"requester": r.obj.user, "join_request": r.obj}))
    register_mail(app, "join_decision", MailSpec(
        "join_decision", lambda r: _("Votre demande d'adhésion au réseau %(name)s",
                                     name=r.network.name),
        lambda r, user: {"join_request": r.obj, "approved": r.obj.status == REQUEST_APPROVED,
                         "link": public_url("network.detail", **_slug(r.network))}))
    # the same functions each time: blinker connects a receiver once
    join_requested.connect(_on_join_requested)
    join_answered.connect(_on_join_answered)
