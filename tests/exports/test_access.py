"""Export predicates, without HTTP: members take documents away, readers of an open network
and outsiders do not."""
from __future__ import annotations

from datetime import timedelta

from tests.roles import EVERYONE_INSIDE
from workspace.core.models import utcnow
from workspace.exports import access
from workspace.extensions import db
from workspace.meetings import service as meetings
from workspace.workshops import service as workshops


def test_members_export_meeting_documents_and_workshop_sheets(roles):
    starts = utcnow().replace(microsecond=0) + timedelta(days=4)
    meeting = meetings.save_meeting(roles.coordinator, roles.network, None, meetings.MeetingData(
        title="Réunion", description="", starts_at=starts, ends_at=starts + timedelta(hours=1),
        location="Mairie"))
    workshop = workshops.save_workshop(roles.coordinator, roles.network, None,
                                       workshops.WorkshopData(
                                           "GED", "GED", "", starts, starts + timedelta(hours=2),
                                           "Mairie", 5, None, starts))
    roles.network.is_private = False  # the outsider may read the pages, not take them away
    db.session.commit()
    assert roles.who(access.can_export_meeting_documents, meeting) == EVERYONE_INSIDE
    assert roles.who(access.can_export_workshop_sheet, workshop) == EVERYONE_INSIDE
