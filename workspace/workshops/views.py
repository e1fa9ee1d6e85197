"""Pages of the workshops of a network: list, scheduling, registration, attendance, notes,
feedback and documents."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.inputs import ID_MAX, form_ids, parse_int, query_id
from workspace.core.models import utcnow
from workspace.core.revisions import revisions
from workspace.core.transactions import commit_with_retry
from workspace.documents import service as documents
from workspace.documents.uploads import max_upload_megabytes
from workspace.extensions import db
from workspace.networks.access import (
    can_view_network,
    network_object_or_404,
    network_scoped_blueprint,
    require,
)
from workspace.networks.panels import Panel
from workspace.workshops import access, service
from workspace.workshops.forms import FeedbackForm, NotesForm, WorkshopForm
from workspace.workshops.models import CONFIRMED, Registration, Workshop
from workspace.workshops.origins import WorkshopOrigin, workshop_origins
from workspace.workshops.roster import Roster, roster

bp = network_scoped_blueprint("workshops", __name__, url_prefix="/workshops")

_get_or_404 = network_object_or_404
def _workshop_or_404(workshop_id: int) -> Workshop:
    return network_object_or_404(Workshop, workshop_id)


def _to_detail(workshop_id: int, anchor: str = ""):
    return redirect(url_for("workshops.workshop_detail", workshop_id=workshop_id) + anchor)


# --- list and detail -------------------------------------------------------------------

@bp.get("/")
def workshop_list():
    upcoming = service.upcoming(g.network, limit=200)
    past = service.past(g.network)
    return render_template(
        "workshops/workshop_list.html", network=g.network, upcoming=upcoming, past=past,
        statuses=service.statuses_of(current_user, [w.id for w in upcoming + past]))


@bp.get("/<int:workshop_id>")
def workshop_detail(workshop_id: int):
    workshop = _workshop_or_404(workshop_id)
    people = roster(workshop)  # lists, positions and counts from one statement
    registration = people.live_registration_of(current_user.id)
    return render_template("workshops/workshop_detail.html", network=g.network,
                           workshop=workshop, registration=registration,
                           position=registration and people.positions.get(registration.id),
                           **_detail_context(workshop, people))


def _detail_context(workshop: Workshop, people: Roster) -> dict:
    now = utcnow()
    manager = access.can_manage_workshop(current_user, workshop)
    attaching = access.can_attach_to_workshop(current_user, workshop)
    linked = documents.documents_linked_to(service.LINK_TYPE, workshop.id)
    linked_ids = {document.id for document in linked}
    context = {"now": now, "started": workshop.starts_at <= now,
               "registration_closed": now > workshop.registration_deadline,
               "documents": linked,
               "attachable": [d for d in service.attachable_documents(g.network)
                              if d.id not in linked_ids] if attaching else [],
               "max_mb": max_upload_megabytes()}
    if manager:
        feedback = service.feedback_summary(workshop)
        context.update(
            confirmed=people.confirmed_by_commune, waiting=people.waiting_by_commune,
            positions=people.positions, confirmed_count=len(people.confirmed),
            waiting_count=len(people.waiting),
            feedback=feedback, average=format_decimal(round(feedback.average, 1))
            if feedback.average is not None else None)
    return context


# --- scheduling ------------------------------------------------------------------------

def _origin_from_query() -> tuple[WorkshopOrigin | None, object]:
    """?<origin>=<id> (say ?need=12): what of this network the new workshop comes from."""
    for name, origin in workshop_origins().items():
        if name in request.args:
            origin_id = query_id(name)
            return origin, _get_or_404(origin.model, origin_id) if origin_id else abort(404)
    return None, None


@bp.route("/new", methods=["GET", "POST"])
def workshop_create():
    require(access.can_organise_workshops(current_user, g.network))
    origin, source = _origin_from_query()
    form = WorkshopForm(data=origin.prefill(source) if origin else None)
    if form.validate_on_submit():
        try:
            workshop = service.save_workshop(current_user, g.network, None, form.workshop_data())
            if origin is not None:
                origin.created(current_user, source, workshop)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("L'atelier est programmé."), "success")
            return _to_detail(workshop.id)
    return render_template("workshops/workshop_form.html", network=g.network, form=form,
                           workshop=None, origin_notice=origin.notice(source) if origin else None)


@bp.route("/<int:workshop_id>/edit", methods=["GET", "POST"])
def workshop_edit(workshop_id: int):
    workshop = _workshop_or_404(workshop_id)
    require(access.can_manage_workshop(current_user, workshop))
    form = WorkshopForm.for_workshop(workshop)
    if form.validate_on_submit():
        try:
            service.save_workshop(current_user, g.network, workshop, form.workshop_data())
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("L'atelier est enregistré."), "success")
            return _to_detail(workshop_id)
    return render_template("workshops/workshop_form.html", network=g.network, form=form,
                           workshop=workshop)


# --- registration ----------------------------------------------------------------------

def _run_registration(workshop_id: int, operation):
    """Run a registration change under the workshop's lock, retried on lock conflicts;
    refusals become a flashed message, a missing right a 403."""
    try:
        return True, commit_with_retry(operation)
    except PermissionDenied:
        db.session.rollback()
        abort(403)
    except DomainError as error:
        db.session.rollback()  # also releases the workshop's lock at once
        flash(error.message, "warning")
        return False, None


@bp.post("/<int:workshop_id>/register")
def workshop_register(workshop_id: int):
    _workshop_or_404(workshop_id)
    done, registration = _run_registration(
        workshop_id, lambda: service.register(current_user, workshop_id))
    if done:
        _flash_registration(registration)
    return _to_detail(workshop_id)


def _flash_registration(registration: Registration) -> None:
    if registration.status == CONFIRMED:
        flash(_("Inscription confirmée."), "success")
        return
    position = service.waiting_position(registration)
    workshop = db.session.get(Workshop, registration.workshop_id)
    if workshop.seats_left:  # seats remain, but not for this commune
        flash(_("Les places réservées à votre commune sont prises : vous êtes sur la liste "
                "d'attente (position %(n)d).", n=position), "info")
    else:
        flash(_("L'atelier est complet : vous êtes sur la liste d'attente (position %(n)d).",
                n=position), "info")


@bp.post("/<int:workshop_id>/cancel")
def workshop_cancel(workshop_id: int):
    _workshop_or_404(workshop_id)
    done, _promoted = _run_registration(
        workshop_id, lambda: service.cancel(current_user, workshop_id))
    if done:
        flash(_("Inscription annulée."), "success")
    return _to_detail(workshop_id)


# --- after the workshop ----------------------------------------------------------------

@bp.route("/<int:workshop_id>/attendance", methods=["GET", "POST"])
def workshop_attendance(workshop_id: int):
    workshop = _workshop_or_404(workshop_id)
    require(access.can_manage_workshop(current_user, workshop))
    if request.method == "POST":
        present = form_ids("present")
        service.record_attendance(current_user, workshop, present)
        db.session.commit()
        flash(_("Les présences sont enregistrées."), "success")
        return redirect(url_for("workshops.workshop_attendance", workshop_id=workshop_id))
    return render_template("workshops/workshop_attendance.html", network=g.network,
                           workshop=workshop,
                           groups=roster(workshop).confirmed_by_commune)


@bp.route("/<int:workshop_id>/notes", methods=["GET", "POST"])
def notes_edit(workshop_id: int):
    workshop = _workshop_or_404(workshop_id)
    require(access.can_write_workshop_notes(current_user, workshop))
    form = NotesForm(data={"body": workshop.notes})
    if form.validate_on_submit():
        before = workshop.notes_updated_at
        if (form.body.data or "").strip() or workshop.notes:  # no empty first revision
            service.save_notes(current_user, workshop, form.body.data or "")
        changed = workshop.notes_updated_at != before
        db.session.commit()
        if changed:
            flash(_("Les notes sont enregistrées."), "success")
        else:
            flash(_("Aucune modification : les notes sont inchangées."), "info")
        return _to_detail(workshop_id, "#notes")
    return render_template("workshops/notes_edit.html", network=g.network, workshop=workshop,
                           form=form)


@bp.get("/<int:workshop_id>/notes/history")
def notes_history(workshop_id: int):
    workshop = _workshop_or_404(workshop_id)
    return render_template("workshops/notes_history.html", network=g.network,
                           workshop=workshop, revisions=revisions("workshop_notes", workshop.id))


def _feedback_refusal(workshop: Workshop) -> str | None:
    """Why the current user may not give feedback, in words, or None."""
    if not access.is_participant(current_user, workshop):
        return _("Seules les personnes dont l'inscription à cet atelier était confirmée "
                 "peuvent donner leur avis.")
    if utcnow() < workshop.starts_at:
        return _("Vous pourrez donner votre avis à partir du début de l'atelier, le %(date)s.",
                 date=_long_date(workshop.starts_at))
    return None


def _long_date(moment) -> str:
    from workspace.core.i18n import datetime_filter

    return datetime_filter(moment, "long")


@bp.route("/<int:workshop_id>/feedback", methods=["GET", "POST"])
def workshop_feedback(workshop_id: int):
    workshop = _workshop_or_404(workshop_id)
    refusal = _feedback_refusal(workshop)
    form = FeedbackForm(obj=service.feedback_of(current_user, workshop)
                        if request.method == "GET" else None)
    if refusal is None and form.validate_on_submit():
        try:
            service.give_feedback(current_user, workshop, form.rating.data,
                                  form.useful.data or "", form.improve.data or "")
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Merci pour votre avis."), "success")
            return _to_detail(workshop_id)
    status = 403 if refusal and request.method == "POST" else 200
    return render_template("workshops/workshop_feedback.html", network=g.network,
                           workshop=workshop, form=form, refusal=refusal), status


@bp.post("/<int:workshop_id>/attach")
def workshop_attach(workshop_id: int):
    workshop = _workshop_or_404(workshop_id)
    require(access.can_attach_to_workshop(current_user, workshop))
    document_id = parse_int(request.form.get("document_id"), 1, ID_MAX)  # else: told so
    files = [(item.filename, item.stream) for item in request.files.getlist("files")
             if item.filename]
    if document_id:
        document = documents.live_document(g.network, document_id)
        if document is None:
            flash(_("Ce document n'existe pas ou plus dans la bibliothèque du réseau."),
                  "warning")
        else:
            service.attach_document(current_user, workshop, document)
            db.session.commit()
            flash(_("« %(title)s » est joint à l'atelier.", title=document.title), "success")
    elif files:
        count, refused = service.attach_uploads(current_user, workshop, files)
        db.session.commit()
        for _filename, reason in refused:
            flash(reason, "warning")
        if count:
            flash(ngettext("%(num)d document joint à l'atelier.",
                           "%(num)d documents joints à l'atelier.", count), "success")
    else:
        flash(_("Choisissez un document de la bibliothèque ou un fichier à déposer."),
              "warning")
    return _to_detail(workshop_id, "#documents")


def network_panel(network, viewer):
    """Upcoming workshops with their seats left, on the network's home page."""
    if not can_view_network(viewer, network):
        return None
    return Panel("workshops/_network_panel.html", {"workshops": service.upcoming(network, 4)},
                 order=20)
