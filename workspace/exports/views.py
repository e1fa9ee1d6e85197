"""Downloads of a network's meeting documents and workshop attendance sheets, for the
network's members (coordinators and administrators included)."""
from __future__ import annotations

from io import BytesIO

from flask import g
from flask_login import current_user

from workspace.core.downloads import send_file
from workspace.exports import access, content
from workspace.exports.blocks import Document
from workspace.exports.odf import render_ods, render_odt
from workspace.exports.pdf import render_pdf
from workspace.meetings.models import Meeting
from workspace.networks.access import network_object_or_404, network_scoped_blueprint, require
from workspace.workshops.models import Workshop

bp = network_scoped_blueprint("exports", __name__, url_prefix="/exports")

FORMATS = {
    "pdf": (render_pdf, "application/pdf"),
    "odt": (render_odt, "application/vnd.oasis.opendocument.text"),
    "ods": (render_ods, "application/vnd.oasis.opendocument.spreadsheet"),
}
MEETING_DOCUMENTS = {"agenda": content.meeting_agenda, "minutes": content.meeting_minutes}


def _send(document: Document, fmt: str):
    render, mimetype = FORMATS[fmt]
    return send_file(BytesIO(render(document)), mimetype=mimetype, as_attachment=True,
                     download_name=f"{document.filename}.{fmt}")


@bp.get("/meetings/<int:meeting_id>/<any(agenda, minutes):kind>.<any(pdf, odt):fmt>")
def meeting_document(meeting_id: int, kind: str, fmt: str):
    meeting = network_object_or_404(Meeting, meeting_id)
    require(access.can_export_meeting_documents(current_user, meeting))
    return _send(MEETING_DOCUMENTS[kind](meeting, g.network), fmt)


@bp.get("/workshops/<int:workshop_id>/sheet.<any(pdf, ods):fmt>")
def workshop_sheet(workshop_id: int, fmt: str):
    workshop = network_object_or_404(Workshop, workshop_id)
    require(access.can_export_workshop_sheet(current_user, workshop))
    return _send(content.workshop_sheet(workshop, g.network), fmt)
