"""Who may read, write and organise a network's tutorials.

Members write: create pages, edit a page that is not deleted, attach files, restore an old
version. Coordinators (and administrators) organise: reorder, nest, delete and restore pages,
and they alone still see a deleted page (to restore it). Whoever may see the network reads.
"""
from __future__ import annotations

from workspace.auth.models import User
from workspace.extensions import db
from workspace.networks import access as network_access
from workspace.networks.models import Network
from workspace.tutorials.models import Tutorial


def _network(network_id: int) -> Network:
    return db.session.get(Network, network_id)


def can_write_tutorials(user: User | None, network: Network) -> bool:
    """Create pages: the network's members (and administrators)."""
    return network_access.can_contribute(user, network)


def can_organise_tutorials(user: User | None, network: Network) -> bool:
    """Reorder, nest, delete and restore pages: coordinators and administrators."""
    return network_access.can_manage_network(user, network)


def can_see_tutorial(user: User | None, tutorial: Tutorial) -> bool:
    """A deleted page is seen by those who may restore it, and by no one else."""
    network = _network(tutorial.network_id)
    if not network_access.can_view_network(user, network):
        return False
    return not tutorial.is_deleted or can_organise_tutorials(user, network)


def can_edit_tutorial(user: User | None, tutorial: Tutorial) -> bool:
    """Edit, attach files, restore an old version: members, while the page is not deleted."""
    return not tutorial.is_deleted and can_write_tutorials(user, _network(tutorial.network_id))


def can_add_subpage(user: User | None, tutorial: Tutorial) -> bool:
    """Pages nest one level deep: a sub-page is added under a top-level page only."""
    return tutorial.parent_id is None and can_edit_tutorial(user, tutorial)


PREDICATES = (can_write_tutorials, can_organise_tutorials, can_see_tutorial,
              can_edit_tutorial, can_add_subpage)
