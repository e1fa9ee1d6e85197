"""Tutorial pages of a network: table of contents, reading, writing, history, attachments,
print view and exports. Each view loads (404), checks access (403), calls one service."""
from __future__ import annotations

from io import BytesIO

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workspace.core.downloads import send_file
from workspace.core.errors import Conflict, DomainError
from workspace.core.inputs import query_id
from workspace.core.markdown import render_markdown
from workspace.extensions import db
from workspace.networks.access import network_object_or_404, network_scoped_blueprint, require
from workspace.tutorials import access, attachments, export, service
from workspace.tutorials.forms import AttachForm, CreateForm, ParentForm, TutorialForm, VersionForm
from workspace.tutorials.models import Tutorial

bp = network_scoped_blueprint("tutorials", __name__, url_prefix="/tutoriels")


def _tutorial_or_404(tutorial_id: int, deleted: bool = False) -> Tutorial:
    """A page of this network; a deleted page only for coordinators (or with `deleted`)."""
    tutorial = network_object_or_404(Tutorial, tutorial_id)
    if not (deleted or access.can_see_tutorial(current_user, tutorial)):
        abort(404)
    return tutorial


def _detail_url(tutorial: Tutorial, anchor: str = "") -> str:
    return url_for("tutorials.tutorial_detail", tutorial_id=tutorial.id,
                   tutorial_slug=tutorial.slug) + anchor


def _number(raw: str | None) -> int:
    """The version a form started from; anything odd counts as out of date."""
    try:
        value = int(raw or "")
    except ValueError:
        return -1
    return value if 0 <= value < 2**31 else -1


def _flash_refused(refused) -> None:
    for filename, reason in refused:
        flash(_("« %(name)s » n'est pas joint : %(reason)s", name=filename, reason=reason),
              "warning")


@bp.get("/")
def tutorial_index():
    organiser = access.can_organise_tutorials(current_user, g.network)
    return render_template(
        "tutorials/tutorial_index.html", network=g.network,
        toc=service.table_of_contents(g.network),
        deleted=service.deleted_tutorials(g.network) if organiser else [])


@bp.post("/preview")
def tutorial_preview():
    """The rendered HTML of a draft, for the editor's preview (the same sanitiser)."""
    return str(render_markdown(request.form.get("body", "")[:service.MAX_BODY]))


@bp.route("/new", methods=["GET", "POST"])
def tutorial_create():
    require(access.can_write_tutorials(current_user, g.network))
    form = CreateForm(parents=service.parent_choices(g.network))
    if request.method == "GET":
        form.parent.data = query_id("parent") or 0
    preview_html = None
    if request.form.get("action") == "preview":
        preview_html = render_markdown(form.body.data or "")
    elif form.validate_on_submit():
        parent = db.session.get(Tutorial, form.parent.data) if form.parent.data else None
        try:
            tutorial = service.create_tutorial(current_user, g.network, form.title.data,
                                               form.body.data, parent)
            _created, refused = attachments.attach_files(current_user, tutorial,
                                                         form.files.data)
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            _flash_refused(refused)
            flash(_("Le tutoriel est publié."), "success")
            return redirect(_detail_url(tutorial))
    return render_template("tutorials/tutorial_form.html", network=g.network, form=form,
                           tutorial=None, preview_html=preview_html, conflict=None)


@bp.get("/<int:tutorial_id>")
def tutorial_link(tutorial_id: int):
    """A short, stable link: the id alone leads to the page, whatever its current title."""
    return redirect(_detail_url(_tutorial_or_404(tutorial_id)))


@bp.get("/<int:tutorial_id>-<tutorial_slug>")
def tutorial_detail(tutorial_id: int, tutorial_slug: str):
    tutorial = _tutorial_or_404(tutorial_id)
    if tutorial_slug != tutorial.slug:  # renamed since the link was made
        return redirect(_detail_url(tutorial), 301)
    previous, following = service.neighbours(tutorial)
    organiser = access.can_organise_tutorials(current_user, g.network)
    return render_template(
        "tutorials/tutorial_detail.html", network=g.network, tutorial=tutorial,
        children=service.children_of(tutorial), previous=previous, following=following,
        attachments=attachments.attachments_of(tutorial), attach_form=AttachForm(),
        parent_form=ParentForm(parents=service.parent_choices(g.network, tutorial),
                               data={"parent": tutorial.parent_id or 0}) if organiser else None)


@bp.get("/<int:tutorial_id>/print")
def tutorial_print(tutorial_id: int):
    tutorial = _tutorial_or_404(tutorial_id)
    return render_template("tutorials/tutorial_print.html", network=g.network,
                           tutorial=tutorial, attachments=attachments.attachments_of(tutorial))


@bp.get("/<int:tutorial_id>/export.<any(pdf, odt):fmt>")
def tutorial_export(tutorial_id: int, fmt: str):
    tutorial = _tutorial_or_404(tutorial_id)
    render, mimetype = export.FORMATS[fmt]
    document = export.tutorial_document(tutorial, g.network,
                                        attachments.attachments_of(tutorial))
    return send_file(BytesIO(render(document)), mimetype=mimetype, as_attachment=True,
                     download_name=f"{document.filename}.{fmt}")


@bp.route("/<int:tutorial_id>/edit", methods=["GET", "POST"])
def tutorial_edit(tutorial_id: int):
    tutorial = _tutorial_or_404(tutorial_id, deleted=False)
    require(access.can_edit_tutorial(current_user, tutorial))
    form = TutorialForm(obj=tutorial)
    if request.method == "GET":
        form.version.data = tutorial.version
    preview_html, conflict = None, None
    if request.form.get("action") == "preview":
        preview_html = render_markdown(form.body.data or "")
    elif form.validate_on_submit():
        try:
            changed = service.edit_tutorial(current_user, tutorial, form.title.data,
                                            form.body.data, _number(form.version.data))
            created, refused = attachments.attach_files(current_user, tutorial,
                                                        form.files.data)
        except Conflict as error:
            conflict = error.message
            form.version.data = tutorial.version  # the next save overwrites knowingly
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            _flash_refused(refused)
            flash(_("Le tutoriel est enregistré.") if changed or created
                  else _("Aucune modification."), "success" if changed or created else "info")
            return redirect(_detail_url(tutorial))
    return render_template("tutorials/tutorial_form.html", network=g.network, form=form,
                           tutorial=tutorial, preview_html=preview_html, conflict=conflict)


@bp.post("/<int:tutorial_id>/attachments")
def tutorial_attach(tutorial_id: int):
    tutorial = _tutorial_or_404(tutorial_id)
    require(access.can_edit_tutorial(current_user, tutorial))
    form = AttachForm()
    created, refused = [], []
    if form.validate_on_submit():
        created, refused = attachments.attach_files(current_user, tutorial, form.files.data)
    if not created and not refused:
        flash(_("Choisissez au moins un fichier."), "warning")
    db.session.commit()
    _flash_refused(refused)
    if created:
        flash(_("Fichiers joints : %(names)s.",
                names=", ".join(document.title for document in created)), "success")
    return redirect(_detail_url(tutorial, "#attachments"))


# --- history -----------------------------------------------------------------------------

@bp.get("/<int:tutorial_id>/history")
def tutorial_history(tutorial_id: int):
    tutorial = _tutorial_or_404(tutorial_id)
    return render_template("tutorials/tutorial_history.html", network=g.network,
                           tutorial=tutorial, entries=service.timeline(tutorial))


def _revision_or_404(tutorial: Tutorial, number: int):
    revision = service.revision_of(tutorial, number)
    if revision is None:
        abort(404)
    return revision


@bp.get("/<int:tutorial_id>/history/<int:number>")
def tutorial_revision(tutorial_id: int, number: int):
    tutorial = _tutorial_or_404(tutorial_id)
    revision = _revision_or_404(tutorial, number)
    return render_template(
        "tutorials/tutorial_revision.html", network=g.network, tutorial=tutorial,
        revision=revision, revision_html=render_markdown(revision.body),
        diff=service.diff_lines(revision.body, tutorial.body),
        form=VersionForm(data={"version": tutorial.version}))


@bp.post("/<int:tutorial_id>/history/<int:number>/restore")
def tutorial_revision_restore(tutorial_id: int, number: int):
    tutorial = _tutorial_or_404(tutorial_id)
    require(access.can_edit_tutorial(current_user, tutorial))
    revision = _revision_or_404(tutorial, number)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        changed = service.restore_revision(current_user, tutorial, revision,
                                           _number(form.version.data))
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(url_for("tutorials.tutorial_revision", tutorial_id=tutorial.id,
                                number=number))
    db.session.commit()
    flash(_("La version %(n)d est de nouveau le texte courant.", n=number) if changed
          else _("Cette version est déjà le texte courant."), "success" if changed else "info")
    return redirect(_detail_url(tutorial))


# --- organisation (coordinators) ---------------------------------------------------------

@bp.post("/<int:tutorial_id>/move")
def tutorial_move(tutorial_id: int):
    tutorial = _tutorial_or_404(tutorial_id)
    require(access.can_organise_tutorials(current_user, g.network))
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        flash(_("Indiquez vers le haut ou vers le bas."), "warning")
    else:
        try:
            service.move_tutorial(current_user, tutorial, offset)
        except DomainError as error:
            flash(error.message, "warning")
        else:
            db.session.commit()
    return redirect(url_for("tutorials.tutorial_index") + f"#toc-{tutorial.id}")


@bp.post("/<int:tutorial_id>/parent")
def tutorial_parent(tutorial_id: int):
    tutorial = _tutorial_or_404(tutorial_id)
    require(access.can_organise_tutorials(current_user, g.network))
    form = ParentForm(parents=service.parent_choices(g.network, tutorial))
    if not form.validate_on_submit():
        flash(_("Choisissez une page parente de la liste."), "warning")
        return redirect(_detail_url(tutorial))
    parent = db.session.get(Tutorial, form.parent.data) if form.parent.data else None
    try:
        service.set_parent(current_user, tutorial, parent)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("La page est rangée."), "success")
    return redirect(_detail_url(tutorial))


@bp.post("/<int:tutorial_id>/delete")
def tutorial_delete(tutorial_id: int):
    tutorial = _tutorial_or_404(tutorial_id)
    require(access.can_organise_tutorials(current_user, g.network))
    service.delete_tutorial(current_user, tutorial)
    db.session.commit()
    flash(_("Le tutoriel « %(title)s » est supprimé ; il peut être restauré depuis la table "
            "des matières.", title=tutorial.title), "info")
    return redirect(url_for("tutorials.tutorial_index"))


@bp.post("/<int:tutorial_id>/restore")
def tutorial_restore(tutorial_id: int):
    tutorial = _tutorial_or_404(tutorial_id)
    require(access.can_organise_tutorials(current_user, g.network))
    service.restore_tutorial(current_user, tutorial)
    db.session.commit()
    flash(_("Le tutoriel « %(title)s » est restauré.", title=tutorial.title), "success")
    return redirect(_detail_url(tutorial))
