"""Pages of the privacy feature: the member's data archive, and for administrators the
anonymisation of a departed member and the audit log."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from limits import parse

from workspace.auth.models import User
from workspace.core.downloads import send_file
from workspace.core.errors import DomainError
from workspace.core.inputs import query_page
from workspace.core.security_events import announce
from workspace.extensions import db, limiter
from workspace.networks.access import require
from workspace.privacy import access, anonymise, archive, audit
from workspace.privacy.forms import AnonymiseForm, AuditFilterForm

bp = Blueprint("privacy", __name__)
PER_PAGE = 50


# --- the member's own data -------------------------------------------------------------

@bp.get("/account/data")
@login_required
def my_data():
    return render_template("privacy/my_data.html")


def _archive_allowed(user: User) -> bool:
    """A few archives an hour per account: each one reads every file the member uploaded."""
    item = parse(current_app.config["DATA_ARCHIVE_LIMIT"])
    scope = f"{current_app.config['RATELIMIT_KEY_PREFIX']}:data-archive"
    if not limiter.limiter.test(item, scope, str(user.id)):
        return False
    limiter.limiter.hit(item, scope, str(user.id))
    return True


@bp.post("/account/data/archive")
@login_required
def data_archive():
    user = current_user._get_current_object()
    if not _archive_allowed(user):
        flash(_("Vous avez déjà demandé plusieurs archives récemment : réessayez dans une "
                "heure."), "warning")
        return render_template("privacy/my_data.html"), 429
    spool = archive.archive_file(user)
    announce("data_archive_downloaded", subject=user, actor=user)
    db.session.commit()
    return send_file(spool, mimetype="application/zip", as_attachment=True,
                     download_name=archive.archive_filename(user), max_age=0)


# --- administrators: anonymisation -------------------------------------------------------

@bp.route("/admin/users/<int:user_id>/anonymise", methods=["GET", "POST"])
@login_required
def user_anonymise(user_id: int):
    require(access.can_anonymise_accounts(current_user))
    user = db.get_or_404(User, user_id)
    if anonymise.is_anonymised(user):
        return render_template("privacy/user_anonymise.html", user=user, form=None,
                               done=True)
    form = AnonymiseForm()
    if form.validate_on_submit():
        try:
            anonymise.anonymise_user(user, current_user)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Le compte est anonymisé : ses contributions sont désormais signées "
                    "« Ancien membre »."), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("privacy/user_anonymise.html", user=user, form=form, done=False,
                           orphaned=anonymise.networks_left_without_coordinator(user))


# --- administrators: audit log -----------------------------------------------------------

@bp.get("/admin/audit")
@login_required
def audit_log():
    require(access.can_read_audit_log(current_user))
    form = AuditFilterForm(request.args)
    filters = audit.AuditFilters()
    if form.validate():
        filters = audit.AuditFilters(kind=form.kind.data or None, user_id=form.user.data,
                                     since=form.since.data, until=form.until.data)
    pagination = db.paginate(audit.events_statement(filters), page=query_page(),
                             per_page=PER_PAGE, max_per_page=PER_PAGE)
    page_args = {key: request.args[key] for key in ("kind", "user", "since", "until")
                 if request.args.get(key) and not form[key].errors}
    return render_template("privacy/audit_log.html", form=form, pagination=pagination,
                           page_args=page_args, users=audit.users_by_id(pagination.items),
                           kind_labels=audit.KIND_LABELS,
                           retention_days=current_app.config["AUDIT_RETENTION_DAYS"])
