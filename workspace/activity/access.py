"""Who may read a network's activity, on its page and through a private Atom feed."""
from __future__ import annotations

from workspace.auth.models import User
from workspace.networks import access as network_access
from workspace.networks.models import Network


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_follow_activity(user: User | None, network: Network) -> bool:
    """Read the stream, ask for a feed address: whoever may see the network."""
    return network_access.can_view_network(user, network)


def can_read_activity_feed(reader: User | None, network: Network) -> bool:
    """A feed token opens the stream while its reader's account is active and may still see
    the network; leaving a private network closes the feed."""
    return reader is not None and reader.is_active and can_follow_activity(reader, network)


def can_open_activity_feed(viewer: User | None, owner: User) -> bool:
    """Feed readers poll without signing in; a browser signed in as someone else is
    refused."""
    return not _signed_in(viewer) or viewer.id == owner.id


PREDICATES = (can_follow_activity, can_read_activity_feed, can_open_activity_feed)
