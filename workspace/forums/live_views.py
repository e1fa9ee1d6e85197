"""The forum's small JSON endpoints, asked by static/js/forum.js on an open page: the topic's
state (polled, conditional), `@` suggestions and files dropped into the editor. Each answers
404 to whoever may not see the network (the blueprint) or the topic."""
from __future__ import annotations

from flask import abort, g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workspace.core.errors import DomainError
from workspace.documents import uploads
from workspace.extensions import db
from workspace.forums import access, attachments, live
from workspace.forums.loading import bp, topic_or_404

POLL_HEADERS = {"Cache-Control": "private, no-cache"}  # kept, but asked again every time


@bp.get("/t/<int:topic_id>/state")
def topic_state(topic_id: int):
    """{"last_number", "unread"}; 304 while it has not changed (If-None-Match)."""
    topic = topic_or_404(topic_id)
    from workspace.notifications.service import unread_count_for_request

    state = live.topic_state(topic, unread_count_for_request(current_user))
    response = jsonify(last_number=state.last_number, unread=state.unread)
    response.headers.update(POLL_HEADERS)
    response.set_etag(state.etag, weak=True)
    return response.make_conditional(request)


@bp.get("/members")
def member_suggest():
    found = live.member_suggestions(g.network, request.args.get("q", ""))
    response = jsonify([suggestion._asdict() for suggestion in found])
    response.headers.update(POLL_HEADERS)
    return response


@bp.post("/files")
def file_upload():
    """One file dropped or pasted into the editor, stored as an attachment of the network
    (the library's checks and limits); the Markdown that shows it comes back."""
    if not access.can_write(current_user, g.network):
        abort(403)
    item = request.files.get("file")
    if item is None or not item.filename:
        return jsonify(error=_("Aucun fichier reçu.")), 400
    try:
        report = uploads.upload_documents(
            current_user, g.network, attachments.attachments_folder(g.network, current_user),
            [(item.filename, item.stream)])
    except DomainError as error:
        return jsonify(error=error.message), 400
    if not report.created:
        return jsonify(error=report.refused[0][1] if report.refused
                       else _("Ce fichier n'a pas été enregistré.")), 400
    db.session.commit()
    document = report.created[0]
    markdown = live.image_markdown(
        document, url_for("documents.document_preview", document_id=document.id),
        url_for("documents.document_detail", document_id=document.id))
    return jsonify(id=document.id, markdown=markdown)
