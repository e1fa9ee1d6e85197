"""Date poll pages of a network: list, opening, the table and the answer form, concluding
into a meeting or a workshop, cancelling. Members only: anyone else gets 404."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.inputs import form_id, form_ids, query_id, query_int
from workspace.core.timezones import local_naive
from workspace.core.transactions import commit_with_retry
from workspace.extensions import db
from workspace.networks.access import network_object_or_404, network_scoped_blueprint, require
from workspace.networks.models import Membership
from workspace.networks.panels import Panel
from workspace.polls import access, service
from workspace.polls.forms import BLANK_SLOTS, PollForm
from workspace.polls.models import CHOICES, FOR_WORKSHOP, Poll
from workspace.polls.service import MAX_SLOTS

bp = network_scoped_blueprint("polls", __name__, url_prefix="/polls")


@bp.before_request
def members_only():
    """An open network shows its pages to every signed-in person; its polls, only to its
    members (and administrators)."""
    if not access.can_see_polls(current_user, g.network):
        abort(404)


def _poll_or_404(poll_id: int) -> Poll:
    return network_object_or_404(Poll, poll_id)


def _to_detail(poll: Poll, anchor: str = ""):
    return redirect(url_for("polls.poll_detail", poll_id=poll.id) + anchor)


def _members() -> list[User]:
    return list(db.session.scalars(select(User).join(Membership).where(
        Membership.network_id == g.network.id, User.is_active.is_(True))
        .order_by(User.last_name, User.first_name)))


def _communes(members: list[User]) -> list[Organisation]:
    ids = {user.organisation_id for user in members if user.organisation_id}
    if not ids:
        return []
    return list(db.session.scalars(select(Organisation).where(Organisation.id.in_(ids))
                                   .order_by(Organisation.name)))


@bp.get("/")
def poll_list():
    running, others = service.polls_of(g.network)
    return render_template("polls/poll_list.html", network=g.network, running=running,
                           others=others)


@bp.route("/new", methods=["GET", "POST"])
def poll_create():
    require(access.can_open_polls(current_user, g.network))
    form = PollForm()
    if request.method == "GET":  # more rows on request, without JavaScript
        while len(form.slots) < query_int("rows", BLANK_SLOTS, BLANK_SLOTS, MAX_SLOTS):
            form.slots.append_entry()
    members = _members()
    people, communes = form_ids("people"), form_ids("communes")
    if form.validate_on_submit():
        try:
            poll = service.open_poll(current_user, g.network, form.poll_data(people, communes))
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Le sondage est ouvert : les personnes interrogées sont prévenues."),
                  "success")
            return _to_detail(poll)
    return render_template("polls/poll_form.html", network=g.network, form=form,
                           members=members, communes=_communes(members),
                           chosen_people=people, chosen_communes=communes)


@bp.get("/<int:poll_id>")
def poll_detail(poll_id: int):
    poll = _poll_or_404(poll_id)
    mine, comment = service.answers_of(current_user, poll)
    return render_template("polls/poll_detail.html", network=g.network, poll=poll,
                           table=service.poll_table(poll), mine=mine, comment=comment,
                           choices=CHOICES)


def _posted_choices(poll: Poll) -> dict[int, str]:
    """slot id -> the posted choice, for the slots of the poll that were answered."""
    posted = {}
    for slot in poll.slots:
        value = request.form.get(f"slot-{slot.id}", "").strip()
        if value:
            posted[slot.id] = value[:10]
    return posted


@bp.post("/<int:poll_id>/answer")
def poll_answer(poll_id: int):
    poll = _poll_or_404(poll_id)
    choices, comment = _posted_choices(poll), request.form.get("comment", "")[:1000]

    def record():
        return service.answer_poll(current_user, poll_id, choices, comment)

    try:
        try:
            commit_with_retry(record)
        except IntegrityError:  # a second submission of the same person came first
            db.session.rollback()
            commit_with_retry(record)
    except PermissionDenied:
        db.session.rollback()
        abort(403)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return _to_detail(poll, "#answer")
    flash(_("Votre réponse est enregistrée : vous pouvez la changer jusqu'à la clôture."),
          "success")
    return _to_detail(poll, "#answer")


@bp.post("/<int:poll_id>/cancel")
def poll_cancel(poll_id: int):
    poll = _poll_or_404(poll_id)
    require(access.can_manage_poll(current_user, poll))
    try:
        commit_with_retry(lambda: service.cancel_poll(current_user, poll_id))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        flash(_("Le sondage est annulé : les personnes interrogées sont prévenues."), "info")
    return _to_detail(poll)


def _event_form(poll: Poll, slot):
    """The meeting or workshop form, pre-filled from the poll and the chosen slot."""
    starts, ends = local_naive(slot.starts_at), local_naive(slot.ends_at)
    if poll.target == FOR_WORKSHOP:
        from workspace.workshops.forms import WorkshopForm

        if request.method == "POST":
            return WorkshopForm()
        return WorkshopForm(data={"title": poll.title, "description": poll.description,
                                  "location": poll.location or poll.video_url,
                                  "starts_at": starts, "ends_at": ends,
                                  "capacity": max(service.poll_table(poll).asked, 1)})
    from workspace.meetings.forms import MeetingForm

    if request.method == "POST":
        return MeetingForm()
    return MeetingForm(data={"title": poll.title, "description": poll.description,
                             "location": poll.location, "video_url": poll.video_url,
                             "starts_at": starts, "ends_at": ends})


def _conclude(poll_id: int, target: str, slot_id: int, form):
    """Create the event from the confirmed form (run again by commit_with_retry when the
    database reports a lock conflict)."""
    from workspace.core.timezones import local_to_utc

    if target == FOR_WORKSHOP:
        return service.conclude_with_workshop(current_user, poll_id, slot_id,
                                              form.workshop_data())
    from workspace.meetings.service import MeetingData

    data = MeetingData(
        title=form.title.data, description=form.description.data or "",
        starts_at=local_to_utc(form.starts_at.data), ends_at=local_to_utc(form.ends_at.data),
        location=form.location.data or "", video_url=form.video_url.data or "",
        agenda=form.agenda_lines, is_important=bool(form.important.data))
    return service.conclude_with_meeting(current_user, poll_id, slot_id, data)


@bp.route("/<int:poll_id>/conclude", methods=["GET", "POST"])
def poll_conclude(poll_id: int):
    poll = _poll_or_404(poll_id)
    require(access.can_manage_poll(current_user, poll))
    if not access.can_conclude_poll(current_user, poll):
        flash(_("Ce sondage est déjà conclu ou annulé."), "warning")
        return _to_detail(poll)
    slot_id = form_id("slot") if request.method == "POST" else query_id("slot")
    slot = next((slot for slot in poll.slots if slot.id == slot_id), None)
    if slot is None:
        flash(_("Choisissez un des créneaux du sondage."), "warning")
        return _to_detail(poll, "#results")
    form = _event_form(poll, slot)
    if form.validate_on_submit():
        target, chosen = poll.target, slot.id
        try:
            event = commit_with_retry(lambda: _conclude(poll_id, target, chosen, form))
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            flash(_("Le sondage est conclu : l'événement est créé et les personnes "
                    "interrogées sont prévenues."), "success")
            endpoint = ("workshops.workshop_detail" if target == FOR_WORKSHOP
                        else "meetings.meeting_detail")
            key = "workshop_id" if target == FOR_WORKSHOP else "meeting_id"
            return redirect(url_for(endpoint, **{key: event.id}))
    return render_template("polls/poll_conclude.html", network=g.network, poll=poll,
                           slot=slot, form=form, table=service.poll_table(poll))


def network_panel(network, viewer):
    """Open polls on the network's home page, for its members."""
    if not access.can_see_polls(viewer, network):
        return None
    running, _others = service.polls_of(network)
    return Panel("polls/_network_panel.html", {"polls": running[:5]}, order=15)
