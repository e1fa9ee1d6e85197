"""Unsubscribe links of forum e-mails sent before follows had one link scheme
(`/forum/unsubscribe/<token>`): still honoured, by sending the reader to the one
unsubscribe page with a link of today's scheme. To be removed once such e-mails are old
(they were sent until version 0011 of the database)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, url_for
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from workspace.auth.models import User
from workspace.extensions import csrf, db
from workspace.notifications import service as notifications

bp = Blueprint("forums_public", __name__)
LEGACY_SALT = "forum-unsubscribe"


def read_legacy_token(token: str) -> tuple[int, str, int] | None:
    try:
        user_id, kind, target = URLSafeSerializer(current_app.config["SECRET_KEY"],
                                                  salt=LEGACY_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if kind not in ("topic", "category") or not isinstance(user_id, int) \
            or not isinstance(target, int) or not 0 < target < 2**31:
        return None
    return user_id, kind, target


@bp.route("/forum/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients' one-click POST (RFC 8058) carries no CSRF token
def unsubscribe(token: str):
    data = read_legacy_token(token)
    user = db.session.get(User, data[0]) if data is not None else None
    if user is None or (current_user.is_authenticated and current_user.id != user.id):
        abort(404)  # unknown, or someone else's link
    scope = notifications.follow_scope(data[1], data[2])
    # 307 keeps a one-click POST a POST
    return redirect(url_for("notifications_public.unsubscribe",
                            ntoken=notifications.unsubscribe_token(user, scope)), code=307)
