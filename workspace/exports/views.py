"""Downloads of a network's meeting documents and workshop attendance sheets, for the
network's members (coordinators and administrators included)."""
from __future__ import annotations

from io import BytesIO

from flask import abort, g
from flask_login import current_user

from workspace.core.downloads import send_file
from workspace.exports import content
from workspace.exports.blocks import Document
from workspace.exports.odf import render_ods, render_odt
from workspace.exports.pdf import render_pdf
from workspace.extensions import db
from workspace.meetings.models import Meeting
from workspace.networks.access import can_contribute, network_scoped_blueprint
from workspace.workshops.models import Workshop

bp = network_scoped_blueprint("exports", __name__, url_prefix="/exports")

FORMATS = {
    "pdf": (render_pdf, "application/pdf"),
    "odt": (render_odt, "application/vnd.oasis.opendocument.text"),
    "ods": (render_ods, "application/vnd.oasis.opendocument.spreadsheet"),
}
MEETING_DOCUMENTS = {"agenda": content.meeting_agenda, "minutes": content.meeting_minutes}


def _load_for_members(model, object_id: int):
    """Load (404 outside this network), then check access (403 for non-members of an open
    network: they may read the pages, not take the documents away)."""
    item = db.session.get(model, object_id)
    if item is None or item.network_id != g.network.id:
        abort(404)
    if not can_contribute(current_user, g.network):
        abort(403)
    return item


def _send(document: Document, fmt: str):
    render, mimetype = FORMATS[fmt]
    return send_file(BytesIO(render(document)), mimetype=mimetype, as_attachment=True,
                     download_name=f"{document.filename}.{fmt}")


@bp.get("/meetings/<int:meeting_id>/<any(agenda, minutes):kind>.<any(pdf, odt):fmt>")
def meeting_document(meeting_id: int, kind: str, fmt: str):
    meeting = _load_for_members(Meeting, meeting_id)
    return _send(MEETING_DOCUMENTS[kind](meeting, g.network), fmt)


@bp.get("/workshops/<int:workshop_id>/sheet.<any(pdf, ods):fmt>")
def workshop_sheet(workshop_id: int, fmt: str):
    workshop = _load_for_members(Workshop, workshop_id)
    return _send(content.workshop_sheet(workshop, g.network), fmt)
