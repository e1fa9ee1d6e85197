"""Who may take a network's meeting documents and workshop sheets away as files.

The network's members (coordinators and administrators included): the readers of an open
network may read the pages, not take the documents away.
"""
from __future__ import annotations

from workspace.auth.models import User
from workspace.extensions import db
from workspace.meetings.models import Meeting
from workspace.networks import access as network_access
from workspace.networks.models import Network
from workspace.workshops.models import Workshop


def _network(network_id: int) -> Network:
    return db.session.get(Network, network_id)


def can_export_meeting_documents(user: User | None, meeting: Meeting) -> bool:
    """The agenda and the minutes, as PDF or ODT."""
    return network_access.can_contribute(user, _network(meeting.network_id))


def can_export_workshop_sheet(user: User | None, workshop: Workshop) -> bool:
    """The attendance sheet (PDF) and the list of registered people (ODS)."""
    return network_access.can_contribute(user, _network(workshop.network_id))


PREDICATES = (can_export_meeting_documents, can_export_workshop_sheet)
