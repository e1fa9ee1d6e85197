"""Who may see, express, share and answer a network's needs.

Members express needs and say "us too" for their commune; coordinators (and administrators)
answer a need with a workshop or a meeting; whoever may see the network reads the register.
"""
from __future__ import annotations

from workspace.auth.models import User
from workspace.extensions import db
from workspace.needs.models import Need
from workspace.networks import access as network_access
from workspace.networks.models import Network


def _network(network_id: int) -> Network:
    return db.session.get(Network, network_id)


def can_see_need(user: User | None, need: Need) -> bool:
    return network_access.can_view_network(user, _network(need.network_id))


def can_express_need(user: User | None, network: Network) -> bool:
    return network_access.can_contribute(user, network)


def can_support_need(user: User | None, need: Need) -> bool:
    """Say "us too": members (the commune of their profile is checked by the service, with
    a message that says what to do)."""
    return can_express_need(user, _network(need.network_id))


def can_answer_need(user: User | None, need: Need) -> bool:
    """Turn the need into a workshop or put it on a meeting's agenda: coordinators."""
    return network_access.can_manage_network(user, _network(need.network_id))


PREDICATES = (can_see_need, can_express_need, can_support_need, can_answer_need)
