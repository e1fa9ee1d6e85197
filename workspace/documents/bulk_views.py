"""Library pages for several documents at once (documents/bulk.py) and the answer to a
same-name upload (documents/same_name.py)."""
from __future__ import annotations

from flask import Response, abort, current_app, flash, g, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from workspace.core.downloads import set_download_name
from workspace.core.errors import DomainError
from workspace.core.inputs import form_id, form_ids
from workspace.documents import access, bulk, same_name, service
from workspace.documents.models import Document
from workspace.documents.views import _folder_or_404, _folder_url, bp
from workspace.extensions import db
from workspace.networks.access import require


@bp.post("/selection")
def selection_apply():
    """Move, trash or zip the documents ticked in a folder's list."""
    folder = _folder_or_404(form_id("folder_id"))
    action = request.form.get("action")
    ids = form_ids("ids")
    documents = bulk.chosen_documents(g.network, list(ids))
    if documents is None:
        if not ids:
            flash(_("Cochez au moins un document."), "warning")
            return redirect(_folder_url(folder))
        abort(404)  # one of them is not a live document of this network
    try:
        if action == "zip":
            return _zip(documents)
        if action == "move":
            target = _folder_or_404(form_id("target") or None)
            bulk.move_documents(current_user, documents, target)
            message = ngettext("%(num)d document déplacé.", "%(num)d documents déplacés.",
                               len(documents))
        elif action == "trash":
            bulk.trash_documents(current_user, documents)
            message = ngettext("%(num)d document mis à la corbeille.",
                               "%(num)d documents mis à la corbeille.", len(documents))
        else:
            abort(400)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(_folder_url(folder))
    db.session.commit()
    flash(message, "success")
    return redirect(_folder_url(folder))


def _zip(documents: list[Document]) -> Response:
    # The entries are read here, inside the request; the stream then only reads files, so
    # it needs neither the session nor the request context.
    cap = current_app.config["DOCUMENTS_ZIP_MAX_MB"] * 1024 * 1024
    entries = bulk.zip_entries(documents, cap)
    response = Response(bulk.stream_zip(entries), mimetype="application/zip")
    set_download_name(response, f"{g.network.slug}-documents.zip")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/upload/same-name", methods=["GET", "POST"])
def upload_same_name():
    """The question "new version or keep both?" for the files of an upload whose name is
    already taken in the folder."""
    require(access.can_upload(current_user, g.network))
    try:
        folder_id, held = same_name.read(request.values.get("t", ""), current_user, g.network)
    except LookupError:
        abort(404)
    folder = _folder_or_404(folder_id)
    if request.method == "POST":
        versioned, created, refused = same_name.resolve(
            current_user, g.network, folder, held,
            [request.form.get(f"answer-{index}") for index in range(len(held))])
        db.session.commit()
        for reason in refused:
            flash(reason, "warning")
        if versioned:
            flash(ngettext("%(num)d nouvelle version enregistrée.",
                           "%(num)d nouvelles versions enregistrées.", len(versioned)),
                  "success")
        if created:
            flash(ngettext("%(num)d document déposé.", "%(num)d documents déposés.",
                           len(created)), "success")
        return redirect(_folder_url(folder))
    documents = {d.id: d for d in db.session.scalars(db.select(Document).where(
        Document.id.in_([h.document_id for h in held])))}
    return render_template("documents/upload_same_name.html", network=g.network,
                           folder=folder, held=held, documents=documents,
                           trail=service.breadcrumbs(folder), token=request.values["t"])
