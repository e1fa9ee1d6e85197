"""Who may take a whole network away as an archive: its coordinators and administrators."""
from __future__ import annotations

from workspace.auth.models import User
from workspace.networks import access as network_access
from workspace.networks.models import Network


def can_export_network(user: User | None, network: Network) -> bool:
    """Every topic, meeting, workshop, need and document of the network, in one ZIP."""
    return network_access.can_manage_network(user, network)


PREDICATES = (can_export_network,)
