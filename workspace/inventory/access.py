"""Who may see and change inventory lines.

Everyone who may see the network sees the aggregated views and, read-only, every commune's
lines (harmonisation needs to compare). A member changes only the lines of their own commune
(their organisation); coordinators and administrators change every line.
"""
from __future__ import annotations

from workspace.networks import access
from workspace.networks.models import Network


def can_edit_commune(user, network: Network, organisation_id: int | None) -> bool:
    """May this user add, change or delete lines of this commune in this network?"""
    if organisation_id is None:
        return False
    if access.can_manage_network(user, network):
        return True
    return (access.can_contribute(user, network)
            and getattr(user, "organisation_id", None) == organisation_id)


def can_edit_line(user, network: Network, line) -> bool:
    return line.network_id == network.id and can_edit_commune(user, network,
                                                               line.organisation_id)


def can_add_lines(user, network: Network) -> bool:
    """Managers add for any commune; members for their own, if their profile names one."""
    return access.can_manage_network(user, network) or (
        access.can_contribute(user, network)
        and getattr(user, "organisation_id", None) is not None)
