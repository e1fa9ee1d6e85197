"""Who may do what in a network's library, built on the network primitives."""
from __future__ import annotations

from workspace.auth.models import User
from workspace.documents.models import Document, Folder
from workspace.extensions import db
from workspace.networks import access as network_access
from workspace.networks.models import Network


def _network(network_id: int) -> Network:
    return db.session.get(Network, network_id)


def can_view_library(user: User, network: Network) -> bool:
    return network_access.can_view_network(user, network)


def can_upload(user: User, network: Network) -> bool:
    """Members add documents and new versions (open networks: readers are not writers)."""
    return network_access.can_contribute(user, network)


def can_manage_library(user: User, network: Network) -> bool:
    """Coordinators restore from the trash, retry extractions, change anyone's folders."""
    return network_access.can_manage_network(user, network)


def can_edit_document(user: User, document: Document) -> bool:
    return can_upload(user, _network(document.network_id))


def can_delete_document(user: User, document: Document) -> bool:
    return (document.created_by_id == user.id and can_upload(user, _network(document.network_id))
            ) or can_manage_library(user, _network(document.network_id))


def can_change_folder(user: User, folder: Folder) -> bool:
    network = _network(folder.network_id)
    return (folder.created_by_id == user.id and can_upload(user, network)
            ) or can_manage_library(user, network)
