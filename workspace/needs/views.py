"""Pages of the needs of a network: the register, one need, "us too", and the answers."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from workspace.core.errors import DomainError, PermissionDenied
from workspace.extensions import db
from workspace.needs import access, service
from workspace.needs.forms import NeedForm, SupportForm, ToMeetingForm
from workspace.needs.models import Need
from workspace.networks.access import network_object_or_404, network_scoped_blueprint, require

bp = network_scoped_blueprint("needs", __name__, url_prefix="/needs")

def _need_or_404(need_id: int) -> Need:
    return network_object_or_404(Need, need_id)


def _to_detail(need_id: int):
    return redirect(url_for("needs.need_detail", need_id=need_id))


@bp.get("/")
def need_list():
    return _render_list(NeedForm())


def _render_list(form: NeedForm):
    order = "recent" if request.args.get("order") == "recent" else "shared"
    needs = service.needs_of(g.network, order)
    return render_template("needs/need_list.html", network=g.network, needs=needs, order=order,
                           form=form, communes=service.supporting_communes(needs),
                           answers=service.answers_for(needs))


@bp.post("/")
def need_create():
    require(access.can_express_need(current_user, g.network))
    form = NeedForm()
    if form.validate_on_submit():
        try:
            need = service.create_need(current_user, g.network, form.title.data,
                                       form.description.data or "")
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Le besoin est enregistré. Les autres communes peuvent dire « nous "
                    "aussi »."), "success")
            return _to_detail(need.id)
    return _render_list(form)


@bp.get("/<int:need_id>")
def need_detail(need_id: int):
    need = _need_or_404(need_id)
    return render_template(
        "needs/need_detail.html", network=g.network, need=need,
        supporters=service.supporters(need), answer=service.answers_for([need]).get(need.id),
        already=service.commune_supports(current_user, need), support_form=SupportForm(),
        meeting_form=ToMeetingForm(meetings=service.meeting_choices(g.network))
        if access.can_answer_need(current_user, need) else None)


@bp.post("/<int:need_id>/support")
def need_support(need_id: int):
    need = _need_or_404(need_id)
    require(access.can_support_need(current_user, need))
    form = SupportForm()
    if not form.validate_on_submit():
        flash(_("Le commentaire fait 500 caractères au plus."), "warning")
        return _to_detail(need_id)
    try:
        service.support(current_user, need, form.comment.data or "")
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    except IntegrityError:  # a colleague of the same commune clicked at the same moment
        db.session.rollback()
        flash(_("Votre commune est déjà associée à ce besoin."), "warning")
    else:
        flash(_("C'est noté : votre commune partage ce besoin."), "success")
    return _to_detail(need_id)


@bp.post("/<int:need_id>/to-meeting")
def need_to_meeting(need_id: int):
    need = _need_or_404(need_id)
    require(access.can_answer_need(current_user, need))
    meetings = service.meeting_choices(g.network)
    form = ToMeetingForm(meetings=meetings)
    if not form.validate_on_submit():
        flash(_("Choisissez une réunion à venir du réseau."), "warning")
        return _to_detail(need_id)
    meeting = next(m for m in meetings if m.id == form.meeting.data)
    try:
        service.answer_with_meeting(current_user, need, meeting)
    except PermissionDenied:
        abort(403)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("Le besoin est inscrit à l'ordre du jour de la réunion « %(title)s ».",
                title=meeting.title), "success")
    return _to_detail(need_id)
