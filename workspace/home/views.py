"""Home page."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from workspace.networks import service as networks

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("home/index.html", my_networks=networks.my_networks(current_user),
                           pending_requests=networks.count_pending_requests_for(current_user))
