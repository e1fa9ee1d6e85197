"""Who may see and change what in a network: the primitives every feature builds on.

Objects of a network that the user may not see answer 404, never 403, so that a private
network's content does not even show that it exists.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Blueprint, Flask, abort, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import String, and_, bindparam, cast, exists, func, or_, select

from workspace.auth.models import User
from workspace.extensions import db
from workspace.networks.models import ROLE_COORDINATOR, Membership, Network


def _roles(user: User) -> dict[int, str]:
    """network id -> role of the user, read once per request (for the signed-in user, by
    the sign-in statement itself: `roles_column`)."""
    if has_request_context():
        cache = g.setdefault("_network_roles", {})
        if user.id not in cache:
            cache[user.id] = _load_roles(user)
        return cache[user.id]
    return _load_roles(user)


def _load_roles(user: User) -> dict[int, str]:
    rows = db.session.execute(select(Membership.network_id, Membership.role)
                              .where(Membership.user_id == user.id))
    return dict(rows.all())


def roles_column(users):
    """The user's roles as one string ("3:member,7:coordinator"), read with the user."""
    memberships = Membership.__table__
    return (select(func.aggregate_strings(cast(memberships.c.network_id, String) + ":"
                                          + memberships.c.role, ","))
            .where(memberships.c.user_id == users.c.id).scalar_subquery())


def receive_roles(user: User, value: str | None) -> None:
    roles = {}
    for pair in (value or "").split(","):
        if pair:
            network_id, role = pair.split(":", 1)
            roles[int(network_id)] = role
    g.setdefault("_network_roles", {})[user.id] = roles


def forget_cached_roles() -> None:
    if has_request_context():
        g.pop("_network_roles", None)


def visible_networks_select(user_id, is_admin):
    """SQL twin of `visible_network_ids`: the ids of the networks the user may see, for
    statements that filter by them without a round trip. `user_id` and `is_admin` are
    values or columns (of a correlated `users` row)."""
    networks, memberships = Network.__table__, Membership.__table__
    member = exists().where(memberships.c.network_id == networks.c.id,
                            memberships.c.user_id == user_id).correlate_except(memberships)
    visible = and_(networks.c.is_archived.is_(False),
                   or_(networks.c.is_private.is_(False), member))
    if isinstance(is_admin, bool):
        return select(networks.c.id) if is_admin else select(networks.c.id).where(visible)
    # `users` belongs to a statement further out: correlated explicitly, not joined here
    return select(networks.c.id).where(or_(is_admin.is_(True), visible)).correlate_except(
        networks)


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def role_in(user, network: Network) -> str | None:
    return _roles(user).get(network.id) if _signed_in(user) else None


def is_member(user, network: Network) -> bool:
    return role_in(user, network) is not None


def is_coordinator(user, network: Network) -> bool:
    return role_in(user, network) == ROLE_COORDINATOR


def can_view_network(user, network: Network) -> bool:
    """Open networks: every signed-in user; private ones: members and administrators."""
    if not _signed_in(user):
        return False
    if network.is_archived and not user.is_admin:
        return False
    return user.is_admin or not network.is_private or is_member(user, network)


def can_contribute(user, network: Network) -> bool:
    """Post, upload, register: members (and administrators)."""
    return _signed_in(user) and (user.is_admin or is_member(user, network))


def can_manage_network(user, network: Network) -> bool:
    """Coordinators of the network and administrators."""
    return _signed_in(user) and (user.is_admin or is_coordinator(user, network))


def is_administrator(user) -> bool:
    """Administrators of the site: accounts, organisations, legal pages, every network."""
    return _signed_in(user) and bool(user.is_admin)


def share_with_templates(app: Flask, *predicates: Callable[..., bool]) -> None:
    """Give every template these predicates, bound to the signed-in user: a template asks
    `can_edit_meeting(meeting)` and gets the answer the view would give, from the same code.
    Each feature calls it from its `init_app` with the predicates of its `access.py`."""
    def bound_predicates() -> dict[str, Callable[..., bool]]:
        user = current_user._get_current_object() if has_request_context() else None
        return {predicate.__name__: partial(predicate, user) for predicate in predicates}

    app.context_processor(bound_predicates)


def can_create_network(user) -> bool:
    """New networks, and whether a network is private and its storage quota: administrators."""
    return is_administrator(user)


def visible_network_ids(user) -> set[int]:
    """Ids of every network the user may see (for lists, search filters, feeds)."""
    if not _signed_in(user):
        return set()
    query = select(Network.id, Network.is_private, Network.is_archived)
    roles = _roles(user)
    return {network_id for network_id, private, archived in db.session.execute(query)
            if user.is_admin or (not archived and (not private or network_id in roles))}


def member_network_ids(user) -> set[int]:
    """Ids of the networks the user is a member (or coordinator) of."""
    return set(_roles(user)) if _signed_in(user) else set()


# Built once: read on every page of a network, found compiled in SQLAlchemy's cache.
_NETWORK_BY_SLUG = select(Network).where(Network.slug == bindparam("slug"))


def network_scoped_blueprint(name: str, import_name: str, url_prefix: str = "",
                             open_to_outsiders: tuple[str, ...] = ()) -> Blueprint:
    """A blueprint under /n/<network_slug>/...: loads g.network, requires sign-in and
    answers 404 to whoever may not see the network (except for `open_to_outsiders`)."""
    bp = Blueprint(name, import_name, url_prefix=f"/n/<network_slug>{url_prefix}")

    @bp.url_value_preprocessor
    def load_network(endpoint, values):
        slug = values.pop("network_slug", None) if values else None
        g.network = db.session.scalar(_NETWORK_BY_SLUG, {"slug": slug})

    @bp.url_defaults
    def add_network_slug(endpoint, values):
        if "network_slug" not in values and getattr(g, "network", None) is not None:
            values["network_slug"] = g.network.slug

    @bp.before_request
    def check_network_access():
        user = current_user._get_current_object()
        if not user.is_authenticated:
            from workspace.extensions import login_manager
            return login_manager.unauthorized()
        network = g.network
        if network is None:
            abort(404)
        endpoint = (request.endpoint or "").rsplit(".", 1)[-1]
        if endpoint not in open_to_outsiders and not can_view_network(user, network):
            abort(404)

    return bp


def network_object_or_404(model, object_id: int | None):
    """An object of the current network (`g.network`), or 404: unknown, or of another network."""
    found = db.session.get(model, object_id) if object_id and 0 < object_id < 2**31 else None
    if found is None or found.network_id != g.network.id:
        abort(404)
    return found


def require(allowed: bool) -> None:
    """403 for a signed-in viewer of the network who may not do this."""
    if not allowed:
        abort(403)
