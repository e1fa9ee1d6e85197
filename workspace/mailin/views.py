"""The administrators' list of the messages received by the reply mailbox."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from workspace.extensions import db
from workspace.mailin.imap import is_enabled
from workspace.mailin.models import InboundMail
from workspace.networks.access import is_administrator, require

bp = Blueprint("mailin", __name__, url_prefix="/admin/mail-received")


@bp.before_request
@login_required
def require_admin():
    require(is_administrator(current_user))


@bp.get("/")
def message_list():
    messages = db.session.scalars(select(InboundMail).order_by(InboundMail.id.desc())
                                  .limit(200))
    return render_template("mailin/message_list.html", messages=list(messages),
                           enabled=is_enabled())
