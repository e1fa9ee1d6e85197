"""The legal pages: public reading, editing and history for administrators."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workspace.core.errors import DomainError
from workspace.extensions import db
from workspace.networks.access import require
from workspace.privacy import legal
from workspace.privacy.access import can_edit_legal_pages
from workspace.privacy.forms import LegalPageForm

bp = Blueprint("legal", __name__, url_prefix="/legal")


def _known(slug: str) -> str:
    if not legal.is_known(slug):
        abort(404)
    return slug


@bp.get("/<slug>")
def page(slug: str):
    return render_template("legal/page.html", page=legal.get_page(_known(slug)),
                           pages=legal.PAGES)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def page_edit(slug: str):
    require(can_edit_legal_pages(current_user))
    current = legal.get_page(_known(slug))
    form = LegalPageForm()
    if request.method == "GET":
        form.body.data = current.body
    if form.validate_on_submit():
        try:
            changed = legal.save_page(slug, form.body.data, current_user)
        except DomainError as error:
            db.session.rollback()
            form.body.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("La page est enregistrée.") if changed
                  else _("Aucune modification : rien n'a été enregistré."),
                  "success" if changed else "info")
            return redirect(url_for("legal.page", slug=slug))
    return render_template("legal/page_edit.html", page=current, form=form)


@bp.get("/<slug>/history")
@login_required
def page_history(slug: str):
    require(can_edit_legal_pages(current_user))
    return render_template("legal/page_history.html", page=legal.get_page(_known(slug)),
                           revisions=legal.history(slug))
