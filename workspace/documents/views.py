"""Library pages of a network: folders, documents, versions, downloads, trash."""
from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from workspace.core.errors import DomainError
from workspace.core.inputs import form_id, query_id
from workspace.documents import access, same_name, service, uploads
from workspace.documents.downloads import send_preview, send_thumbnail, send_version
from workspace.documents.forms import DocumentForm, FolderForm, MoveForm, UploadForm, VersionForm
from workspace.documents.models import Document, DocumentVersion, Folder
from workspace.extensions import db
from workspace.networks.access import network_scoped_blueprint, require
from workspace.notifications import follows

bp = network_scoped_blueprint("documents", __name__, url_prefix="/documents")


def _folder_or_404(folder_id: int | None) -> Folder | None:
    try:
        return service.get_folder(g.network, folder_id)
    except LookupError:
        abort(404)


def _document_or_404(document_id: int) -> Document:
    return service.live_document(g.network, document_id) or abort(404)


def _version_or_404(document: Document, number: int) -> DocumentVersion:
    version = db.session.scalar(db.select(DocumentVersion).where(
        DocumentVersion.document_id == document.id, DocumentVersion.number == number))
    return version or abort(404)


_require = require


def _folder_url(folder: Folder | None) -> str:
    return (url_for("documents.folder_detail", folder_id=folder.id) if folder
            else url_for("documents.library"))


def _back_to(folder: Folder | None):
    return redirect(_folder_url(folder))


# --- browsing --------------------------------------------------------------------------

@bp.get("/")
def library():
    return _render_folder(None)


@bp.get("/folders/<int:folder_id>")
def folder_detail(folder_id: int):
    return _render_folder(_folder_or_404(folder_id))


def _render_folder(folder: Folder | None):
    sort = request.args.get("sort", "name")
    descending = request.args.get("order") == "desc"
    tag = request.args.get("tag") or None
    listing = service.list_folder(g.network, folder, sort, descending, tag)
    return render_template(
        "documents/library.html", network=g.network, folder=folder, listing=listing,
        trail=service.breadcrumbs(folder), sort=sort if sort in service.SORTS else "name",
        descending=descending, tag=tag, tags=service.network_tags(g.network),
        usage=service.usage_bytes(g.network), quota=service.quota_bytes(g.network),
        folder_form=FolderForm(), move_form=MoveForm(choices=service.folder_choices(g.network)),
        can_upload=access.can_upload(current_user, g.network),
        max_mb=uploads.max_upload_megabytes(), max_files=uploads.max_upload_files(),
        can_change=folder is not None and access.can_change_folder(current_user, folder))


@bp.get("/recent")
def recent():
    return render_template("documents/recent.html", network=g.network,
                           documents=service.recent_documents(g.network))


# --- folders ---------------------------------------------------------------------------

@bp.post("/folders")
def folder_create():
    _require(access.can_upload(current_user, g.network))
    parent = _folder_or_404(form_id("parent_id"))
    form = FolderForm()
    if not form.validate_on_submit():
        flash(_("Indiquez le nom du dossier (200 caractères au plus)."), "warning")
        return _back_to(parent)
    try:
        folder = service.create_folder(current_user, g.network, parent, form.name.data)
    except DomainError as error:
        flash(error.message, "warning")
        return _back_to(parent)
    db.session.commit()
    return _back_to(folder)


def _folder_action(folder_id: int, action) -> object:
    folder = _folder_or_404(folder_id)
    try:
        target = action(folder)
    except DomainError as error:
        flash(error.message, "warning")
        return _back_to(folder)
    db.session.commit()
    return target


@bp.post("/folders/<int:folder_id>/rename")
def folder_rename(folder_id: int):
    form = FolderForm()
    name = form.name.data if form.validate_on_submit() else ""

    def rename(folder):
        service.rename_folder(current_user, folder, name)
        return _back_to(folder)

    return _folder_action(folder_id, rename)


@bp.post("/folders/<int:folder_id>/move")
def folder_move(folder_id: int):
    target = _folder_or_404(form_id("target"))

    def move(folder):
        service.move_folder(current_user, folder, target)
        return _back_to(folder)

    return _folder_action(folder_id, move)


@bp.post("/folders/<int:folder_id>/delete")
def folder_delete(folder_id: int):
    def trash(folder):
        service.trash_folder(current_user, folder)
        flash(_("Le dossier « %(name)s » est dans la corbeille.", name=folder.name), "info")
        return _back_to(folder.parent)

    return _folder_action(folder_id, trash)


@bp.post("/folders/<int:folder_id>/follow")
def folder_follow(folder_id: int):
    """Follow a folder (its new documents are notified), or stop."""
    folder = _folder_or_404(folder_id)
    if request.form.get("follow") == "1":
        follows.follow(current_user, "folder", folder.id)
        flash(_("Vous suivez ce dossier : ses nouveaux documents vous seront notifiés."),
              "success")
    else:
        follows.unfollow(current_user, "folder", folder.id)
        flash(_("Vous ne suivez plus ce dossier."), "info")
    db.session.commit()
    return _back_to(folder)


# --- upload ----------------------------------------------------------------------------

@bp.route("/upload", methods=["GET", "POST"])
def upload():
    _require(access.can_upload(current_user, g.network))
    folder = _folder_or_404(query_id("folder"))
    form = UploadForm()
    if form.validate_on_submit():
        files = [(item.filename, item.stream) for item in request.files.getlist("files")
                 if item.filename]
        fresh, clashing = same_name.split_same_names(g.network, folder, files)
        report = uploads.upload_documents(current_user, g.network, folder, fresh)
        held = same_name.hold(clashing, report)
        db.session.commit()
        for _filename, reason in report.refused:
            flash(reason, "warning")
        if report.created:
            flash(ngettext("%(num)d document déposé.", "%(num)d documents déposés.",
                           len(report.created)), "success")
        if held:  # the person chooses: a new version, or keep both
            target = url_for("documents.upload_same_name",
                             t=same_name.sign(current_user, g.network, folder, held))
        elif len(report.created) == 1 and not report.refused:
            target = url_for("documents.document_detail", document_id=report.created[0].id)
        else:
            target = _folder_url(folder)
        if request.headers.get("X-Requested-With") == "XMLHttpRequest":
            return jsonify(redirect=target)
        return redirect(target)
    return render_template("documents/upload.html", network=g.network, folder=folder, form=form,
                           max_mb=uploads.max_upload_megabytes(),
                           max_files=uploads.max_upload_files(),
                           trail=service.breadcrumbs(folder))


# --- one document ----------------------------------------------------------------------

@bp.get("/<int:document_id>")
def document_detail(document_id: int):
    document = _document_or_404(document_id)
    versions = db.session.scalars(db.select(DocumentVersion).where(
        DocumentVersion.document_id == document.id)
        .order_by(DocumentVersion.number.desc())).all()
    return render_template(
        "documents/document_detail.html", network=g.network, document=document,
        versions=versions, trail=service.breadcrumbs(document.folder),
        version_form=VersionForm(), used_in=service.where_used(document, current_user),
        can_edit=access.can_edit_document(current_user, document),
        can_delete=access.can_delete_document(current_user, document),
        can_manage=access.can_manage_library(current_user, g.network))


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
def document_edit(document_id: int):
    document = _document_or_404(document_id)
    _require(access.can_edit_document(current_user, document))
    form = DocumentForm(obj=document, choices=service.folder_choices(g.network))
    if request.method == "GET":
        form.folder.data = document.folder_id or 0
        form.tags.data = ", ".join(tag.name for tag in document.tags)
    if form.validate_on_submit():
        try:
            service.update_document(current_user, document, title=form.title.data,
                                    description=form.description.data or "",
                                    tags=form.tags.data or "",
                                    folder=_folder_or_404(form.folder.data or None))
        except DomainError as error:
            form.title.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Le document est enregistré."), "success")
            return redirect(url_for("documents.document_detail", document_id=document.id))
    return render_template("documents/document_edit.html", network=g.network,
                           document=document, form=form)


@bp.post("/<int:document_id>/versions")
def version_upload(document_id: int):
    document = _document_or_404(document_id)
    _require(access.can_edit_document(current_user, document))
    form = VersionForm()
    if form.validate_on_submit():
        try:
            uploads.upload_version(current_user, document, form.file.data.filename,
                                   form.file.data.stream, form.comment.data or "")
        except DomainError as error:
            flash(error.message, "warning")
        else:
            db.session.commit()
            flash(_("Nouvelle version enregistrée."), "success")
    else:
        flash(_("Choisissez un fichier pour la nouvelle version."), "warning")
    return redirect(url_for("documents.document_detail", document_id=document.id))


@bp.post("/<int:document_id>/versions/<int:number>/restore")
def version_restore(document_id: int, number: int):
    document = _document_or_404(document_id)
    version = _version_or_404(document, number)
    try:
        uploads.restore_version(current_user, document, version)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("La version %(n)d est de nouveau la version courante.", n=number), "success")
    return redirect(url_for("documents.document_detail", document_id=document.id))


@bp.get("/<int:document_id>/download")
def document_download(document_id: int):
    document = _document_or_404(document_id)
    return send_version(document.current_version or abort(404))


@bp.get("/<int:document_id>/versions/<int:number>/download")
def version_download(document_id: int, number: int):
    return send_version(_version_or_404(_document_or_404(document_id), number))


@bp.get("/<int:document_id>/preview")
def document_preview(document_id: int):
    return send_preview(_document_or_404(document_id).current_version or abort(404))


@bp.get("/<int:document_id>/thumbnail")
def document_thumbnail(document_id: int):
    return send_thumbnail(_document_or_404(document_id).current_version or abort(404))


@bp.post("/<int:document_id>/extraction/retry")
def extraction_retry(document_id: int):
    document = _document_or_404(document_id)
    _require(access.can_manage_library(current_user, g.network))
    uploads.request_extraction(document.current_version or abort(404))
    db.session.commit()
    flash(_("L'extraction du texte est relancée."), "info")
    return redirect(url_for("documents.document_detail", document_id=document.id))


@bp.post("/<int:document_id>/delete")
def document_delete(document_id: int):
    document = _document_or_404(document_id)
    try:
        service.trash_document(current_user, document)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(url_for("documents.document_detail", document_id=document.id))
    db.session.commit()
    flash(_("« %(title)s » est dans la corbeille.", title=document.title), "info")
    return _back_to(document.folder)


# --- trash -----------------------------------------------------------------------------

@bp.get("/trash")
def trash():
    _require(access.can_manage_library(current_user, g.network))
    folders, documents = service.trash_contents(g.network)
    return render_template("documents/trash.html", network=g.network, folders=folders,
                           documents=documents, days=service.TRASH_DAYS)


@bp.post("/trash/documents/<int:document_id>/restore")
def trash_restore_document(document_id: int):
    _require(access.can_manage_library(current_user, g.network))
    document = db.session.get(Document, document_id)
    if document is None or document.network_id != g.network.id or not document.deleted_at:
        abort(404)
    service.restore_document(current_user, document)
    db.session.commit()
    flash(_("« %(title)s » est restauré.", title=document.title), "success")
    return redirect(url_for("documents.trash"))


@bp.post("/trash/folders/<int:folder_id>/restore")
def trash_restore_folder(folder_id: int):
    _require(access.can_manage_library(current_user, g.network))
    folder = db.session.get(Folder, folder_id)
    if folder is None or folder.network_id != g.network.id or not folder.deleted_at:
        abort(404)
    try:
        service.restore_folder(current_user, folder)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(url_for("documents.trash"))
    db.session.commit()
    flash(_("Le dossier « %(name)s » est restauré.", name=folder.name), "success")
    return redirect(url_for("documents.trash"))


@bp.app_template_filter("doc_type")
def doc_type(mime: str | None) -> str:
    from workspace.documents.sniff import label

    return label(mime or "")


@bp.app_template_filter("doc_icon")
def doc_icon(mime: str | None) -> tuple[str, str]:
    from workspace.documents.sniff import icon

    return icon(mime)


@bp.app_template_global("is_inline_image")
def is_inline_image(mime: str | None) -> bool:
    from workspace.documents.sniff import INLINE_IMAGES

    return mime in INLINE_IMAGES


@bp.app_template_filter("filesize")
def filesize(value: int | None) -> str:
    from flask_babel import format_decimal

    size = float(value or 0)
    units = (_("o"), _("ko"), _("Mo"), _("Go"))
    for index, unit in enumerate(units):
        if size < 1024 or index == len(units) - 1:
            return f"{format_decimal(round(size, 1 if index else 0))} {unit}"
        size /= 1024
    return ""
