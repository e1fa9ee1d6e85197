"""Network pages: list, home page, join requests, membership management."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from workspace.auth.service import find_user_by_email
from workspace.core.errors import DomainError
from workspace.extensions import db
from workspace.networks import access, service
from workspace.networks.forms import (
    AddMemberForm,
    DecisionForm,
    JoinRequestForm,
    MemberRoleForm,
    NetworkForm,
)
from workspace.networks.models import JoinRequest, Membership, Network
from workspace.networks.panels import panels_for

bp = Blueprint("networks", __name__)
scoped = access.network_scoped_blueprint("network", __name__,
                                         open_to_outsiders=("join", "join_withdraw"))


@bp.get("/networks/")
@login_required
def network_list():
    networks = service.list_networks(current_user)
    pending = {network.id for network in networks
               if service.pending_request(network, current_user) is not None}
    return render_template("networks/network_list.html", networks=networks, pending=pending)


@bp.route("/networks/new", methods=["GET", "POST"])
@login_required
def network_create():
    access.require(access.can_create_network(current_user))
    form = NetworkForm()
    if form.validate_on_submit():
        try:
            network = service.save_network(None, name=form.name.data, summary=form.summary.data
                                           or "", description=form.description.data or "",
                                           is_private=form.is_private.data)
        except DomainError as error:
            form.name.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Le réseau « %(name)s » est créé.", name=network.name), "success")
            return redirect(url_for("network.detail", network_slug=network.slug))
    return render_template("networks/network_form.html", form=form, network=None)


def _require_manager() -> None:
    if not access.can_manage_network(current_user, g.network):
        abort(403)


@scoped.get("/")
def detail():
    network: Network = g.network
    return render_template(
        "networks/detail.html", network=network,
        coordinators=service.coordinators(network), groups=service.members_by_commune(network),
        pending_count=len(service.pending_requests(network))
        if access.can_manage_network(current_user, network) else 0,
        panels=panels_for(network, current_user))


@scoped.route("/edit", methods=["GET", "POST"])
def edit():
    _require_manager()
    network: Network = g.network
    form = NetworkForm(obj=network)
    if form.validate_on_submit():
        settings = access.can_create_network(current_user)  # privacy and quota: admins
        is_private = form.is_private.data if settings else network.is_private
        if settings:
            network.storage_quota_mb = form.storage_quota_mb.data or None
        try:
            service.save_network(network, name=form.name.data, summary=form.summary.data or "",
                                 description=form.description.data or "", is_private=is_private)
        except DomainError as error:
            form.name.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Le réseau est enregistré."), "success")
            return redirect(url_for("network.detail", network_slug=network.slug))
    return render_template("networks/network_form.html", form=form, network=network)


@scoped.route("/join", methods=["GET", "POST"])
def join():
    network: Network = g.network
    if network.is_archived:
        abort(404)
    if access.is_member(current_user, network):
        return redirect(url_for("network.detail"))
    form = JoinRequestForm()
    pending = service.pending_request(network, current_user)
    if form.validate_on_submit():
        try:
            result = service.request_to_join(current_user, network, form.message.data or "")
        except DomainError as error:
            flash(error.message, "warning")
            return redirect(url_for("network.join"))
        db.session.commit()
        if isinstance(result, Membership):
            flash(_("Bienvenue dans le réseau %(name)s.", name=network.name), "success")
            return redirect(url_for("network.detail"))
        flash(_("Votre demande est envoyée aux coordinateurs du réseau. Vous recevrez leur "
                "réponse par e-mail."), "success")
        return redirect(url_for("networks.network_list"))
    return render_template("networks/join.html", network=network, form=form, pending=pending)


@scoped.post("/join/withdraw")
def join_withdraw():
    service.withdraw_request(current_user, g.network)
    db.session.commit()
    flash(_("Votre demande est retirée."), "info")
    return redirect(url_for("networks.network_list"))


@scoped.post("/leave")
def leave():
    membership = service.get_membership(g.network, current_user)
    if membership is None:
        abort(404)
    try:
        service.remove_member(current_user, membership)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect(url_for("network.detail"))
    db.session.commit()
    flash(_("Vous avez quitté le réseau %(name)s.", name=g.network.name), "info")
    return redirect(url_for("networks.network_list"))


@scoped.get("/requests")
def request_list():
    _require_manager()
    return render_template("networks/request_list.html", network=g.network,
                           requests=service.pending_requests(g.network), form=DecisionForm())


@scoped.post("/requests/<int:request_id>")
def request_decide(request_id: int):
    _require_manager()
    join_request = db.session.get(JoinRequest, request_id)
    if join_request is None or join_request.network_id != g.network.id:
        abort(404)
    form = DecisionForm()
    decision = request.form.get("decision")
    if not form.validate_on_submit() or decision not in ("approve", "refuse"):
        abort(400)
    try:
        service.decide_join_request(current_user, join_request, decision == "approve",
                                    form.answer.data or "")
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("%(name)s fait maintenant partie du réseau.", name=join_request.user.full_name)
              if decision == "approve" else _("La demande est refusée ; le demandeur est prévenu."),
              "success")
    return redirect(url_for("network.request_list"))


@scoped.route("/members", methods=["GET", "POST"])
def member_list():
    _require_manager()
    form = AddMemberForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is None:
            form.email.errors.append(_("Aucun compte n'existe pour cette adresse. Un "
                                       "administrateur peut inviter la personne."))
        else:
            try:
                service.add_member(current_user, g.network, user, form.role.data)
            except DomainError as error:
                form.email.errors.append(error.message)
            else:
                db.session.commit()
                flash(_("%(name)s fait maintenant partie du réseau.", name=user.full_name),
                      "success")
                return redirect(url_for("network.member_list"))
    return render_template("networks/member_list.html", network=g.network, form=form,
                           groups=service.members_by_commune(g.network),
                           role_form=MemberRoleForm())


def _membership_or_404(user_id: int) -> Membership:
    membership = db.session.scalar(select(Membership).where(
        Membership.network_id == g.network.id, Membership.user_id == user_id))
    if membership is None:
        abort(404)
    return membership


@scoped.post("/members/<int:user_id>/role")
def member_role(user_id: int):
    _require_manager()
    membership = _membership_or_404(user_id)
    form = MemberRoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.set_role(current_user, membership, form.role.data)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("Le rôle de %(name)s est changé.", name=membership.user.full_name), "success")
    return redirect(url_for("network.member_list"))


@scoped.post("/members/<int:user_id>/remove")
def member_remove(user_id: int):
    _require_manager()
    membership = _membership_or_404(user_id)
    name = membership.user.full_name
    try:
        service.remove_member(current_user, membership)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("%(name)s ne fait plus partie du réseau.", name=name), "success")
    return redirect(url_for("network.member_list"))
