"""iCalendar downloads of a network's meetings and workshops, the private feed and its
settings page."""
from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workspace.calendar import feeds, ics, pages
from workspace.calendar.access import can_open_calendar_feed
from workspace.calendar.forms import FeedForm
from workspace.core.downloads import send_file
from workspace.core.urls import public_url
from workspace.extensions import db
from workspace.meetings.models import Meeting
from workspace.networks.access import network_scoped_blueprint
from workspace.workshops.models import Workshop

ICS_MIMETYPE = "text/calendar"  # Werkzeug adds "; charset=utf-8" to text types
FEED_REFRESH = timedelta(hours=1)

bp = network_scoped_blueprint("calendar", __name__, url_prefix="/calendar")
feed_bp = Blueprint("calendar_feed", __name__)
my_bp = Blueprint("my_calendar", __name__)


def _of_network_or_404(model, object_id: int):
    item = db.session.get(model, object_id)
    if item is None or item.network_id != g.network.id:
        abort(404)
    return item


def _ics_download(data: bytes, filename: str):
    return send_file(BytesIO(data), mimetype=ICS_MIMETYPE, as_attachment=True,
                     download_name=filename)


@bp.get("/meetings/<int:meeting_id>.ics")
def meeting_ics(meeting_id: int):
    meeting = _of_network_or_404(Meeting, meeting_id)
    [event] = ics.build_events([meeting], [])
    return _ics_download(ics.single_event_ics(event), ics.ics_filename("reunion", meeting))


@bp.get("/workshops/<int:workshop_id>.ics")
def workshop_ics(workshop_id: int):
    workshop = _of_network_or_404(Workshop, workshop_id)
    [event] = ics.build_events([], [workshop])
    return _ics_download(ics.single_event_ics(event), ics.ics_filename("atelier", workshop))


# --- the month and week pages ------------------------------------------------------------

def _calendar_page(network_ids: set[int], network=None):
    """The month or week asked for by ?month= / ?week=, with what happens in the networks."""
    today = pages.today_in_paris()
    period = pages.choose_period(request.args.get("month"), request.args.get("week"), today)
    days_of_month = period.first.month if period.mode == "month" else None
    in_period = period.first <= today <= period.last
    monday = today if in_period else period.first
    other = (pages.Period("week", monday - timedelta(days=monday.weekday()))
             if period.mode == "month" else pages.Period("month", period.first.replace(day=1)))
    endpoint = "calendar.calendar_page" if network is not None else "my_calendar.calendar_page"
    scope = {"network_slug": network.slug} if network is not None else {}

    def link(target):
        return url_for(endpoint, **scope, **target.param) if target is not None else None

    return render_template(
        "calendar/calendar_page.html", network=network, period=period, today=today,
        weeks=pages.month_weeks(period.first) if period.mode == "month" else [],
        days=pages.week_days(period.first) if period.mode == "week" else [],
        month_number=days_of_month,
        events=pages.events_between(network_ids, period.first, period.last),
        previous_url=link(period.moved(-1)), next_url=link(period.moved(1)),
        other_url=link(other), today_url=url_for(endpoint, **scope))


@bp.get("/")
def calendar_page():
    return _calendar_page({g.network.id}, g.network)


@my_bp.get("/calendar/", endpoint="calendar_page")
@login_required
def personal_calendar_page():
    """Every network the signed-in person belongs to."""
    return _calendar_page(pages.member_network_ids(current_user))


# --- the private feed ------------------------------------------------------------------

@feed_bp.route("/account/calendar", methods=["GET", "POST"])
@login_required
def feed_settings():
    """The address is shown once, in the answer to the request that made it: only its hash
    is kept."""
    form = FeedForm()
    new_url = None
    if form.validate_on_submit():
        if form.revoke.data:
            feeds.revoke_feed_tokens(current_user)
            db.session.commit()
            flash(_("L'adresse d'abonnement est révoquée : les agendas abonnés ne reçoivent "
                    "plus rien."), "success")
            return redirect(url_for(".feed_settings"))
        if form.issue.data:
            token = feeds.issue_feed_token(current_user)
            db.session.commit()
            new_url = public_url("calendar_feed.feed", token=token)
    return render_template("calendar/feed_settings.html", form=form, new_url=new_url,
                           active=feeds.active_feed_token(current_user))


@feed_bp.get("/calendar/feed/<token>.ics")
def feed(token: str):
    """No sign-in (calendar programs poll it); a browser signed in as someone else gets 404."""
    user = feeds.feed_owner(token)
    if user is None or not can_open_calendar_feed(current_user, user):
        abort(404)
    meetings, workshops = feeds.feed_items(user)
    with force_locale(user.locale or "fr"):
        events = ics.build_events(meetings, workshops)
        data = ics.to_ics(events, uid=ics.event_uid("feed", user.id), refresh=FEED_REFRESH,
                          name=_("%(site)s : mes réunions et ateliers", site="Tilt"))
    response = Response(data, mimetype=ICS_MIMETYPE)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
