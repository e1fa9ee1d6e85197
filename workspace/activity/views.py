"""A network's activity page, its private feed settings, and the Atom feed itself."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from workspace.activity import feeds
from workspace.activity.access import can_open_activity_feed
from workspace.activity.forms import FeedTokenForm
from workspace.activity.stream import Cursor, read_stream
from workspace.core.urls import public_url
from workspace.extensions import db
from workspace.networks.access import network_scoped_blueprint

ATOM_MIMETYPE = "application/atom+xml"

bp = network_scoped_blueprint("activity", __name__, url_prefix="/activity")
feed_bp = Blueprint("activity_feed", __name__)


@bp.get("/")
def network_activity():
    raw = request.args.get("before")
    before = Cursor.decode(raw)
    if raw and before is None:
        flash(_("Cette position dans le fil d'activité n'est pas valide : voici l'activité "
                "la plus récente."), "warning")
    page = read_stream([g.network], before=before)
    return render_template("activity/network_activity.html", network=g.network, page=page,
                           is_older=before is not None)


@bp.route("/feed", methods=["GET", "POST"])
def feed_settings():
    """The address is shown once, in the answer to the request that made it: only its hash
    is kept."""
    form = FeedTokenForm()
    new_url = None
    if form.validate_on_submit():
        if form.revoke.data:
            feeds.revoke_tokens(current_user, g.network)
            db.session.commit()
            flash(_("L'adresse du flux est révoquée : les lecteurs de flux abonnés ne "
                    "reçoivent plus rien."), "success")
            return redirect(url_for(".feed_settings"))
        if form.issue.data:
            token = feeds.issue_token(current_user, g.network)
            db.session.commit()
            new_url = public_url("activity_feed.feed", feed_token=token)
    return render_template("activity/feed_settings.html", network=g.network, form=form,
                           new_url=new_url, active=feeds.active_token(current_user, g.network))


@feed_bp.get("/activity/feed/<feed_token>.atom")
def feed(feed_token: str):
    """No sign-in (feed readers poll it); a browser signed in as someone else gets 404."""
    target = feeds.feed_target(feed_token)
    if target is None:
        abort(404)
    user, network = target
    if not can_open_activity_feed(current_user, user):
        abort(404)
    with force_locale(user.locale or "fr"):
        data = feeds.atom_document(user, network, feed_token)
    response = Response(data, mimetype=ATOM_MIMETYPE)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
