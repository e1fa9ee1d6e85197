"""The dashboard: the signed-in user's home page."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from workspace.extensions import db
from workspace.home import service
from workspace.networks import service as networks

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """The only page that writes the visit mark (at most once an hour)."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    try:
        since = service.record_visit(current_user)
        db.session.commit()
    except IntegrityError:  # another tab recorded the first visit at the same moment
        db.session.rollback()
        since = None
    board = service.dashboard(current_user, since)
    return render_template("home/index.html", board=board,
                           pending_requests=networks.count_pending_requests_for(current_user))
