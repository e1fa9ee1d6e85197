"""What a notification points at: each object type registers how to load it, who may still
see it, its title and the exact place it is shown. Kinds may register their own e-mail.

This module imports no feature: each feature registers its objects from its `init_app`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import select

from workspace.auth.models import User
from workspace.core.registry import registry
from workspace.extensions import db
from workspace.networks import access as network_access
from workspace.networks.models import Network


@dataclass(frozen=True)
class Target:
    type: str
    model: type
    title: Callable[[Any], str]
    place: Callable[[Any, Network | None], tuple[str, dict]]  # endpoint, url values
    visible: Callable[[User, Any, Network | None], bool] = lambda user, obj, network: True
    excerpt: Callable[[Any], str] = lambda obj: ""
    # False: the object is about the user outside the network (a join request's answer)
    needs_network_view: bool = True


@dataclass(frozen=True)
class MailSpec:
    """An e-mail of its own for a kind (the generic one otherwise)."""

    template: str
    subject: Callable[[Resolved], str]
    # extra template values; None: nothing to send any more. A "list_unsubscribe" value
    # replaces the List-Unsubscribe link (the forum's: stop following this topic)
    context: Callable[[Resolved, User], dict | None] = lambda resolved, user: {}


@dataclass
class Resolved:
    """A notification with its object, read now (never copied when the event happened)."""

    notification: Any
    obj: Any
    network: Network | None
    target: Target
    actor: User | None = None
    extra: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.target.title(self.obj)

    @property
    def place(self) -> tuple[str, dict]:
        return self.target.place(self.obj, self.network)

    @property
    def excerpt(self) -> str:
        return self.target.excerpt(self.obj)


def _targets(app: Flask | None = None) -> dict[str, Target]:
    return registry("notification_targets", app)


def register_target(app: Flask, target: Target) -> None:
    _targets(app)[target.type] = target


def register_mail(app: Flask, kind: str, spec: MailSpec) -> None:
    registry("notification_mails", app)[kind] = spec


def register_reply_address(app: Flask, target_type: str,
                           maker: Callable[[Resolved, User], str | None]) -> None:
    """A feature that receives replies by e-mail gives the Reply-To address of the e-mails
    about this object type, for this recipient (None: no address, replies go nowhere)."""
    registry("notification_reply_addresses", app)[target_type] = maker


def reply_address(resolved: Resolved, user: User) -> str | None:
    maker = registry("notification_reply_addresses").get(resolved.notification.target_type)
    return maker(resolved, user) if maker is not None else None


def network_free_types() -> list[str]:
    """Object types shown to their recipient whatever the network (a join request's answer)."""
    return [name for name, target in _targets().items() if not target.needs_network_view]


def mail_spec(kind: str) -> MailSpec | None:
    return registry("notification_mails").get(kind)


def preload(notifications) -> list:
    """Load the objects, networks and actors of many notifications in a few statements (one
    per object type): `resolve` then finds them in the session without asking again. The
    caller keeps the returned list while resolving (the session only holds weak references)."""
    loaded: list = []
    by_type: dict[str, set[int]] = {}
    for row in notifications:
        by_type.setdefault(row.target_type, set()).add(row.target_id)
    for type_, ids in by_type.items():
        target = _targets().get(type_)
        if target is not None:
            loaded += db.session.scalars(select(target.model).where(
                target.model.id.in_(ids))).all()
    network_ids = {row.network_id for row in notifications if row.network_id}
    if network_ids:
        loaded += db.session.scalars(select(Network).where(Network.id.in_(network_ids))).all()
    actor_ids = {row.actor_id for row in notifications if row.actor_id}
    if actor_ids:
        loaded += db.session.scalars(select(User).where(User.id.in_(actor_ids))).all()
    return loaded


def resolve(notification, user: User, *, networks: dict | None = None,
            actors: dict | None = None) -> Resolved | None:
    """The notification's object if `user` may still see it, else None."""
    target = _targets().get(notification.target_type)
    if target is None or not user.is_active:
        return None
    network = None
    if notification.network_id is not None:
        network = (networks or {}).get(notification.network_id) \
            or db.session.get(Network, notification.network_id)
        if network is None:
            return None
        if target.needs_network_view and not network_access.can_view_network(user, network):
            return None
    obj = db.session.get(target.model, notification.target_id)
    if obj is None or not target.visible(user, obj, network):
        return None
    actor = None
    if notification.actor_id is not None:
        actor = (actors or {}).get(notification.actor_id) \
            or db.session.get(User, notification.actor_id)
    return Resolved(notification, obj, network, target, actor)
