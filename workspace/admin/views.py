"""Administration pages (administrators only): accounts, invitations, organisations, jobs."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from workspace.admin import service
from workspace.admin.access import can_administer
from workspace.admin.forms import ImportForm, OrganisationForm, UserFilterForm, UserForm
from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.communes.service import list_organisations
from workspace.core.errors import DomainError
from workspace.core.inputs import query_page
from workspace.core.jobs import FAILED, PENDING, Job
from workspace.extensions import db
from workspace.networks.access import require

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 50


@bp.before_request
@login_required
def require_admin():
    require(can_administer(current_user))


@bp.context_processor
def admin_helpers():
    return {"user_status": service.user_status, "status_labels": service.STATUS_LABELS,
            "kind_labels": service.KIND_LABELS}


# --- accounts --------------------------------------------------------------------------

@bp.get("/users")
def user_list():
    form = UserFilterForm(request.args, organisations=list_organisations(include_archived=True))
    filters = service.UserFilters()
    if form.validate():
        filters = service.UserFilters(text=form.q.data or "",
                                      organisation_id=form.organisation.data or None,
                                      status=form.status.data or None)
    pagination = db.paginate(service.users_statement(filters), page=query_page(),
                             per_page=PER_PAGE, max_per_page=PER_PAGE)
    # only the known filters: other keys could clash with url_for's own arguments
    page_args = {key: request.args[key] for key in ("q", "organisation", "status")
                 if request.args.get(key)}
    return render_template("admin/user_list.html", form=form, pagination=pagination,
                           page_args=page_args)


@bp.route("/users/invite", methods=["GET", "POST"])
def user_invite():
    form = UserForm(organisations=list_organisations())
    if form.validate_on_submit():
        try:
            user = service.invite_user(form.profile(), current_user)
        except DomainError as error:
            form.email.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Invitation envoyée à %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_invite.html", form=form)


@bp.route("/users/import", methods=["GET", "POST"])
def user_import():
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        result = service.read_user_import(form.file.data.stream.read(service.MAX_IMPORT_BYTES + 1))
        if result.ok:
            users = service.import_users(result.rows, current_user)
            db.session.commit()
            flash(ngettext("%(num)d personne invitée.", "%(num)d personnes invitées.",
                           len(users)), "success")
            return redirect(url_for("admin.user_list", status=service.STATUS_PENDING))
    return render_template("admin/user_import.html", form=form, result=result,
                           max_rows=service.MAX_IMPORT_ROWS)


@bp.get("/users/import/modele.csv")
def user_import_template():
    return Response(service.import_template(), mimetype="text/csv",
                    headers={"Content-Disposition":
                             "attachment; filename=modele-invitations-tilt.csv"})


def _organisations_for(user: User) -> list[Organisation]:
    """The choices of the form: active organisations, and the user's own even if archived."""
    organisations = list_organisations()
    if user.organisation is not None and user.organisation not in organisations:
        organisations.append(user.organisation)
    return organisations


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user, organisations=_organisations_for(user))
    if request.method == "GET":
        form.organisation_id.data = user.organisation_id or 0
    if form.validate_on_submit():
        try:
            service.update_user(user, form.profile(), current_user)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Le compte est enregistré."), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_edit.html", form=form, user=user,
                           memberships=service.memberships_of(user))


def _posted_choice(name: str, missing: str) -> bool:
    """An explicit target state ("1" or "0"), not a flip: a form sent twice does not undo
    itself. DomainError(missing) for anything else."""
    choice = {"1": True, "0": False}.get(request.form.get(name, ""))
    if choice is None:
        raise DomainError(missing)
    return choice


@bp.post("/users/<int:user_id>/active")
def user_toggle_active(user_id: int):
    user = db.get_or_404(User, user_id)
    try:
        active = _posted_choice("active", _("Choisissez d'activer ou de désactiver le compte."))
        service.set_user_active(user, active, current_user)
    except DomainError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Le compte est réactivé.") if active
              else _("Le compte est désactivé et ses sessions sont fermées."), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/users/<int:user_id>/password-sign-in")
def user_password_sign_in(user_id: int):
    """Turn password sign-in off (the directory or an identity provider must be used) or
    back on; turning it off ends the sessions opened with the password."""
    user = db.get_or_404(User, user_id)
    try:
        allowed = _posted_choice("allowed", _("Choisissez d'autoriser ou non la connexion par "
                                              "mot de passe."))
        service.set_password_sign_in(user, allowed, current_user)
    except DomainError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("La connexion par mot de passe est de nouveau permise pour ce compte.")
              if allowed else _("La connexion par mot de passe est désactivée pour ce compte."),
              "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/users/<int:user_id>/invitation")
def user_resend_invitation(user_id: int):
    user = db.get_or_404(User, user_id)
    try:
        service.resend_invitation(user, current_user)
    except DomainError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Nouvelle invitation envoyée à %(email)s ; le lien précédent ne fonctionne "
                "plus.", email=user.email), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


# --- organisations ---------------------------------------------------------------------

@bp.get("/organisations")
def organisation_list():
    return render_template("admin/organisation_list.html",
                           rows=service.organisations_with_counts())


@bp.route("/organisations/new", methods=["GET", "POST"])
def organisation_create():
    return _organisation_form(None)


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
def organisation_edit(organisation_id: int):
    return _organisation_form(db.get_or_404(Organisation, organisation_id))


def _organisation_form(organisation: Organisation | None):
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            service.save_organisation_admin(
                organisation, name=form.name.data, kind=form.kind.data,
                joined_year=form.joined_year.data,
                is_archived=bool(organisation and form.is_archived.data))
        except DomainError as error:
            db.session.rollback()
            form.name.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("L'organisation est enregistrée."), "success")
            return redirect(url_for("admin.organisation_list"))
    return render_template("admin/organisation_form.html", form=form, organisation=organisation)


# --- background jobs -------------------------------------------------------------------

@bp.get("/jobs")
def job_list():
    return render_template("admin/job_list.html", counts=service.job_counts(),
                           failed=service.jobs_with_status(FAILED),
                           pending=service.jobs_with_status(PENDING))


@bp.post("/jobs/<int:job_id>/retry")
def job_retry(job_id: int):
    job = db.get_or_404(Job, job_id)
    try:
        service.retry(job)
    except DomainError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("La tâche n° %(id)d est remise en file d'attente.", id=job.id), "success")
    return redirect(url_for("admin.job_list"))
