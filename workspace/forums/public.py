"""The unsubscribe link of forum e-mails: works without signing in, for its recipient only."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from workspace.auth.models import User
from workspace.extensions import csrf, db
from workspace.forums import notify
from workspace.forums.models import Category, Topic

bp = Blueprint("forums_public", __name__)


@bp.route("/forum/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients' one-click POST (RFC 8058) carries no CSRF token
def unsubscribe(token: str):
    data = notify.read_unsubscribe_token(token)
    if data is None:
        abort(404)
    user_id, kind, target_id = data
    if current_user.is_authenticated and current_user.id != user_id:
        abort(404)  # someone else's link
    user = db.session.get(User, user_id)
    target = db.session.get(Topic if kind == "topic" else Category, target_id)
    if user is None or target is None:
        abort(404)
    done = False
    if request.method == "POST":
        notify.unfollow(user, **{kind: target})
        db.session.commit()
        done = True
    return render_template("forums/unsubscribe.html", kind=kind, target=target, done=done,
                           token=token, following=notify.is_following(user, **{kind: target}))
