"""Meeting pages of a network: list, scheduling, answers, attendance, minutes, actions."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.communes.service import list_organisations
from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.inputs import form_ids
from workspace.core.revisions import revisions
from workspace.core.timezones import local_naive, local_to_utc
from workspace.documents import service as documents
from workspace.documents import uploads
from workspace.extensions import db
from workspace.meetings import access, service
from workspace.meetings.forms import ActionForm, DecisionForm, MeetingForm, MinutesForm, agenda_data
from workspace.meetings.models import ActionItem, Meeting
from workspace.networks.access import (
    can_view_network,
    network_object_or_404,
    network_scoped_blueprint,
    require,
)
from workspace.networks.models import Membership
from workspace.networks.panels import Panel

bp = network_scoped_blueprint("meetings", __name__, url_prefix="/meetings")
LINK_TYPE = "meeting"


def _meeting_or_404(meeting_id: int) -> Meeting:
    return network_object_or_404(Meeting, meeting_id)


def _to_detail(meeting: Meeting, anchor: str = ""):
    return redirect(url_for("meetings.meeting_detail", meeting_id=meeting.id) + anchor)


def _members() -> list[User]:
    return list(db.session.scalars(select(User).join(Membership).where(
        Membership.network_id == g.network.id, User.is_active.is_(True))
        .order_by(User.last_name, User.first_name)))


@bp.get("/")
def meeting_list():
    return render_template("meetings/meeting_list.html", network=g.network,
                           upcoming=service.upcoming(g.network, 50),
                           past=service.past(g.network),
                           open_count=len(service.open_actions(g.network)))


def _save(form: MeetingForm, meeting: Meeting | None):
    try:
        data = service.MeetingData(
            title=form.title.data, description=form.description.data or "",
            starts_at=local_to_utc(form.starts_at.data), ends_at=local_to_utc(form.ends_at.data),
            location=form.location.data or "", video_url=form.video_url.data or "",
            agenda=form.agenda_lines, is_important=bool(form.important.data))
        return service.save_meeting(current_user, g.network, meeting, data)
    except DomainError as error:
        form.form_errors.append(error.message)
        return None


@bp.route("/new", methods=["GET", "POST"])
def meeting_create():
    require(access.can_schedule_meetings(current_user, g.network))
    form = MeetingForm()
    if form.validate_on_submit():
        meeting = _save(form, None)
        if meeting is not None:
            db.session.commit()
            flash(_("La réunion est programmée."), "success")
            return _to_detail(meeting)
    return render_template("meetings/meeting_form.html", network=g.network, form=form,
                           meeting=None)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
def meeting_edit(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    require(access.can_manage_meeting(current_user, meeting))
    form = MeetingForm()
    if request.method == "GET":
        form = MeetingForm(data={
            "title": meeting.title, "description": meeting.description,
            "location": meeting.location, "video_url": meeting.video_url,
            "starts_at": local_naive(meeting.starts_at), "ends_at": local_naive(meeting.ends_at),
            "agenda": agenda_data(meeting)})
    if form.validate_on_submit() and _save(form, meeting) is not None:
        db.session.commit()
        flash(_("La réunion est modifiée."), "success")
        return _to_detail(meeting)
    return render_template("meetings/meeting_form.html", network=g.network, form=form,
                           meeting=meeting)


@bp.post("/<int:meeting_id>/cancel")
def meeting_cancel(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    require(access.can_manage_meeting(current_user, meeting))
    service.cancel_meeting(current_user, meeting)
    db.session.commit()
    flash(_("La réunion est annulée."), "info")
    return _to_detail(meeting)


@bp.get("/<int:meeting_id>")
def meeting_detail(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    manager = access.can_manage_meeting(current_user, meeting)
    return render_template(
        "meetings/meeting_detail.html", network=g.network, meeting=meeting,
        my_answer=service.answer_of(current_user, meeting),
        carried=service.carried_actions(meeting), decisions=service.decisions(meeting),
        actions=service.actions_of_meeting(meeting),
        answers=service.answers_by_commune(meeting) if manager else [],
        linked=documents.documents_linked_to(LINK_TYPE, meeting.id),
        decision_form=DecisionForm(),
        action_form=ActionForm(members=_members(), organisations=list_organisations()))


@bp.post("/<int:meeting_id>/rsvp")
def meeting_rsvp(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    try:
        service.answer(current_user, meeting, request.form.get("answer", ""))
    except PermissionDenied:
        abort(403)
    except DomainError as error:
        flash(error.message, "warning")
        return _to_detail(meeting)
    db.session.commit()
    flash(_("Votre réponse est enregistrée."), "success")
    return _to_detail(meeting)


@bp.route("/<int:meeting_id>/attendance", methods=["GET", "POST"])
def meeting_attendance(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    require(access.can_manage_meeting(current_user, meeting))
    if request.method == "POST":
        present = form_ids("present")
        service.record_attendance(current_user, meeting, present)
        db.session.commit()
        flash(_("Les présences sont enregistrées."), "success")
        return _to_detail(meeting)
    return render_template("meetings/attendance.html", network=g.network, meeting=meeting,
                           groups=service.answers_by_commune(meeting))


@bp.route("/<int:meeting_id>/minutes", methods=["GET", "POST"])
def minutes_edit(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    require(access.can_write_minutes(current_user, meeting))
    form = MinutesForm(obj=meeting)
    if form.validate_on_submit():
        changed = service.save_minutes(current_user, meeting, form.minutes.data or "")
        db.session.commit()
        flash(_("Compte rendu enregistré.") if changed else _("Aucune modification."),
              "success" if changed else "info")
        return _to_detail(meeting, "#minutes")
    return render_template("meetings/minutes_form.html", network=g.network, meeting=meeting,
                           form=form)


@bp.get("/<int:meeting_id>/minutes/history")
def minutes_history(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    return render_template("meetings/minutes_history.html", network=g.network, meeting=meeting,
                           revisions=revisions("meeting_minutes", meeting.id))


@bp.post("/<int:meeting_id>/decisions")
def decision_add(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    require(access.can_manage_meeting(current_user, meeting))
    form = DecisionForm()
    if form.validate_on_submit():
        service.add_decision(current_user, meeting, form.text.data)
        db.session.commit()
        flash(_("Décision ajoutée."), "success")
    else:
        flash(_("Écrivez la décision (5 000 caractères au plus)."), "warning")
    return _to_detail(meeting, "#decisions")


@bp.post("/<int:meeting_id>/actions")
def action_add(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    require(access.can_take_part_in_meetings(current_user, g.network))
    form = ActionForm(members=_members(), organisations=list_organisations())
    if not form.validate_on_submit():
        flash(_("Action non ajoutée : %(errors)s",
                errors=" ".join(e for errors in form.errors.values() for e in errors)),
              "warning")
        return _to_detail(meeting, "#actions")
    kind, _sep, raw_id = form.owner.data.partition(":")
    owner_user = db.session.get(User, int(raw_id)) if kind == "user" else None
    owner_org = db.session.get(Organisation, int(raw_id)) if kind == "org" else None
    try:
        service.add_action(current_user, g.network, meeting, form.title.data,
                           owner_user=owner_user, owner_organisation=owner_org,
                           due_on=form.due_on.data)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("Action ajoutée : elle figurera à l'ordre du jour des réunions suivantes "
                "jusqu'à sa clôture."), "success")
    return _to_detail(meeting, "#actions")


@bp.get("/actions")
def action_list():
    items = db.session.scalars(select(ActionItem).where(ActionItem.network_id == g.network.id)
                               .order_by(ActionItem.status, ActionItem.due_on.is_(None),
                                         ActionItem.due_on, ActionItem.id)).all()
    return render_template("meetings/action_list.html", network=g.network, items=items)


@bp.post("/actions/<int:action_id>/status")
def action_status(action_id: int):
    item = db.session.get(ActionItem, action_id)
    if item is None or item.network_id != g.network.id:
        abort(404)
    require(access.can_follow_action(current_user, item))
    try:
        service.set_action_status(current_user, item, request.form.get("status", ""))
    except PermissionDenied:
        abort(403)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("Action mise à jour."), "success")
    target = request.form.get("next", "")
    from workspace.core.urls import is_safe_next

    return redirect(target if is_safe_next(target) else url_for("meetings.action_list"))


@bp.post("/<int:meeting_id>/documents")
def meeting_attach(meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    require(access.can_take_part_in_meetings(current_user, g.network))
    files = [(item.filename, item.stream) for item in request.files.getlist("files")
             if item.filename]
    if not files:
        flash(_("Choisissez au moins un fichier."), "warning")
        return _to_detail(meeting, "#documents")
    report = uploads.upload_documents(current_user, g.network, None, files)
    for document in report.created:
        documents.link_document(current_user, document, LINK_TYPE, meeting.id)
    db.session.commit()
    for _name, reason in report.refused:
        flash(reason, "warning")
    return _to_detail(meeting, "#documents")


def _resolve_links(ids: list[int], viewer):
    from workspace.core.urls import public_url
    from workspace.networks.models import Network

    found = {}
    for meeting in db.session.scalars(select(Meeting).where(Meeting.id.in_(ids))):
        network = db.session.get(Network, meeting.network_id)
        if access.can_see_meeting(viewer, meeting):
            found[meeting.id] = documents.LinkTarget(
                _("Réunion : %(title)s", title=meeting.title),
                public_url("meetings.meeting_detail", network_slug=network.slug,
                           meeting_id=meeting.id))
    return found


documents.register_link_target(LINK_TYPE, _resolve_links)


def network_panel(network, viewer):
    if not can_view_network(viewer, network):
        return None
    return Panel("meetings/_network_panel.html",
                 {"meetings": service.upcoming(network, 3),
                  "actions": service.open_actions(network)[:5]}, order=10)
