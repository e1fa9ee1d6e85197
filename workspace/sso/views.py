"""Signing in through an identity provider (its button, its return), and the
administrators' mapping of organisation claims to our organisations."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from workspace.auth.service import SignInRefused, address_allowed, record_address_failure
from workspace.auth.views import sign_in
from workspace.communes.service import list_organisations
from workspace.core.inputs import form_id
from workspace.core.security_events import announce
from workspace.core.urls import is_safe_next
from workspace.extensions import db
from workspace.networks.access import is_administrator as can_administer
from workspace.networks.access import require
from workspace.sso import oidc
from workspace.sso.accounts import account_for
from workspace.sso.forms import OrganisationClaimForm
from workspace.sso.models import OrganisationClaim

bp = Blueprint("sso", __name__)


def _provider_or_404(name: str) -> oidc.Provider:
    found = oidc.provider(name)
    if found is None:
        abort(404)
    return found


@bp.get("/login/oidc/<provider>")
def oidc_login(provider: str):
    found = _provider_or_404(provider)
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    target = request.args.get("next")
    session["oidc_next"] = target if is_safe_next(target) else None
    try:
        return oidc.start(found)
    except SignInRefused as refused:
        return _refused(refused, found)


@bp.get("/login/oidc/<provider>/callback")
def oidc_callback(provider: str):
    found = _provider_or_404(provider)
    target = session.pop("oidc_next", None)
    address = request.remote_addr or ""
    if not address_allowed(address):
        return _refused(SignInRefused(_("Trop de tentatives de connexion. Patientez quelques "
                                        "minutes avant de réessayer."), "throttled"), found)
    try:
        assertion, id_token = oidc.finish(found)
        user = account_for(assertion)
    except SignInRefused as refused:
        record_address_failure(address)
        return _refused(refused, found)
    return sign_in(user, False, found.key, target, id_token=id_token)


def _refused(refused: SignInRefused, found: oidc.Provider):
    db.session.rollback()
    announce("login_failed", provider=found.key, reason=refused.reason)
    db.session.commit()
    flash(refused.message, "danger")
    return redirect(url_for("auth.login"))


# --- administrators: organisation claims ----------------------------------------------

@bp.route("/admin/sso/organisations", methods=["GET", "POST"])
@login_required
def organisation_claims():
    require(can_administer(current_user))
    form = OrganisationClaimForm(organisations=list_organisations())
    if form.validate_on_submit():
        value, provider = form.value.data.strip(), form.provider.data.strip() or "*"
        exists = db.session.scalar(select(OrganisationClaim).where(
            OrganisationClaim.provider == provider, OrganisationClaim.value == value))
        if exists is not None:
            form.value.errors.append(_("Cette valeur est déjà associée à %(name)s.",
                                       name=exists.organisation.name))
        else:
            db.session.add(OrganisationClaim(provider=provider, value=value,
                                             organisation_id=form.organisation_id.data))
            db.session.commit()
            flash(_("Correspondance enregistrée."), "success")
            return redirect(url_for("sso.organisation_claims"))
    claims = db.session.scalars(select(OrganisationClaim).order_by(
        OrganisationClaim.provider, OrganisationClaim.value)).all()
    return render_template("sso/organisation_claims.html", form=form, claims=claims)


@bp.post("/admin/sso/organisations/delete")
@login_required
def organisation_claim_delete():
    require(can_administer(current_user))
    claim_id = form_id("claim_id")
    claim = db.session.get(OrganisationClaim, claim_id) if claim_id else None
    if claim is None:
        abort(404)
    db.session.delete(claim)
    db.session.commit()
    flash(_("Correspondance supprimée."), "info")
    return redirect(url_for("sso.organisation_claims"))
