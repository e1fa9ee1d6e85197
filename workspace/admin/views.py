"""Administration pages (administrators only)."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from workspace.auth.models import User
from workspace.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_admin():
    if not current_user.is_admin:
        abort(403)


@bp.get("/users")
def user_list():
    users = db.session.scalars(select(User).order_by(User.last_name, User.first_name)).all()
    return render_template("admin/user_list.html", users=users)


@bp.get("/users/<int:user_id>")
def user_edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    return render_template("admin/user_list.html", users=[user])
