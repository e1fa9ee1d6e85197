"""Who receives what from the calendars: the private feed and the e-mail reminders."""
from __future__ import annotations

from workspace.auth.models import User
from workspace.networks import access as network_access
from workspace.networks.models import Network


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_open_calendar_feed(viewer: User | None, owner: User) -> bool:
    """A feed is read without signing in (calendar programs poll it); a browser signed in
    as someone else is refused, so that a forwarded address does not mix two people's
    calendars."""
    return not _signed_in(viewer) or viewer.id == owner.id


def can_receive_reminder(user: User | None, network: Network) -> bool:
    """Reminders of meetings, workshops and actions go to active accounts that may still
    see the network (a person who left a private network hears no more of it)."""
    return user is not None and user.is_active and network_access.can_view_network(user,
                                                                                   network)


PREDICATES = (can_open_calendar_feed, can_receive_reminder)
