"""Notification pages: the list, marking read, the preferences and the unsubscribe link
(of a kind, a digest or a follow)."""
from __future__ import annotations

from itertools import groupby
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workspace.auth.models import User
from workspace.core.inputs import form_datetime, query_page
from workspace.core.models import utcnow
from workspace.core.urls import is_safe_next
from workspace.extensions import csrf, db
from workspace.notifications import follows, service
from workspace.notifications.delivery import sentence
from workspace.notifications.forms import PreferencesForm
from workspace.notifications.kinds import CHANNEL_LABELS, kinds
from workspace.notifications.models import Notification
from workspace.notifications.targets import preload, resolve

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
public_bp = Blueprint("notifications_public", __name__)
PER_PAGE = 30
PARIS = ZoneInfo("Europe/Paris")


def _mine_or_404(notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != current_user.id:
        abort(404)
    return notification


@bp.get("/")
@login_required
def notification_list():
    unread_only = request.args.get("unread") == "1"
    pagination = db.paginate(service.listing_query(current_user, unread_only),
                             page=query_page(error_out=False), per_page=PER_PAGE, error_out=False)
    loaded = preload(pagination.items)  # noqa: F841 - held while resolving
    items = [(row, resolved) for row in pagination.items
             if (resolved := resolve(row, current_user)) is not None]
    days = [(day, [(row, resolved, sentence(resolved)) for row, resolved in group])
            for day, group in groupby(items, key=lambda pair: pair[0].created_at
                                      .astimezone(PARIS).date())]
    return render_template("notifications/notification_list.html", days=days,
                           pagination=pagination, unread_only=unread_only,
                           shown_at=utcnow().isoformat())


@bp.get("/state")
@login_required
def notification_state():
    """The bell's count for an open page that polls it (static/js/app.js): {"unread"}, 304
    while it has not changed. It costs the sign-in statement, which reads the count anyway."""
    unread = service.unread_count_for_request(current_user)
    response = jsonify(unread=unread)
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(f"u{unread}", weak=True)
    return response.make_conditional(request)


@bp.get("/<int:notification_id>")
@login_required
def notification_open(notification_id: int):
    """Mark read and go to the exact place of the object."""
    notification = _mine_or_404(notification_id)
    resolved = resolve(notification, current_user)
    if resolved is None:
        abort(404)
    service.mark_read(current_user, notification)
    db.session.commit()
    endpoint, values = resolved.place
    return redirect(url_for(endpoint, **values))


@bp.post("/<int:notification_id>/read")
@login_required
def notification_read(notification_id: int):
    service.mark_read(current_user, _mine_or_404(notification_id))
    db.session.commit()
    return _back()


@bp.post("/read")
@login_required
def notification_read_all():
    before = form_datetime("shown_at")
    if before is not None and before.tzinfo is None:
        before = None
    count = service.mark_all_read(current_user, before)
    db.session.commit()
    flash(_("Notifications marquées comme lues.") if count
          else _("Aucune notification à marquer."), "success" if count else "info")
    return _back()


def _back():
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for(".notification_list"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    current = service.preferences(current_user)
    form = PreferencesForm()
    problems: list[str] = []
    if request.method == "POST":
        if form.validate_on_submit():
            values = {name: request.form.get(f"kind-{name}") for name in kinds()}
            problems = service.save_preferences(current_user, values)
            if not problems:
                db.session.commit()
                flash(_("Vos préférences de notification sont enregistrées."), "success")
                return redirect(url_for(".preferences"))
            current = {name: values[name] or current[name] for name in kinds()}
        else:
            problems = [_("Le formulaire a expiré : veuillez le renvoyer.")]
    return render_template("notifications/preferences.html", form=form, kinds=kinds(),
                           current=current, labels=CHANNEL_LABELS, problems=problems)


@public_bp.route("/notifications/unsubscribe/<ntoken>", methods=["GET", "POST"])
@csrf.exempt  # mail clients' one-click POST (RFC 8058) carries no CSRF token
def unsubscribe(ntoken: str):
    data = service.read_unsubscribe_token(ntoken)
    if data is None:
        abort(404)
    user_id, scope = data
    if current_user.is_authenticated and current_user.id != user_id:
        abort(404)  # someone else's link
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    followed = service.parse_follow_scope(scope)
    if followed is not None:
        return _unfollow_page(user, *followed)
    done = False
    if request.method == "POST":
        service.stop_emails(user, scope)
        db.session.commit()
        done = True
    described = kinds().get(scope)
    label = described.label if described is not None else CHANNEL_LABELS[scope]
    return render_template("notifications/unsubscribe.html", label=label, done=done,
                           digest=described is None)


def _unfollow_page(user: User, kind: str, target_id: int):
    """A follow's link: stop following the topic, category or folder."""
    described = follows.follow_kind(kind)
    target = db.session.get(described.model, target_id)
    if target is None:
        abort(404)
    done = False
    if request.method == "POST":
        follows.unfollow(user, kind, target_id)
        db.session.commit()
        done = True
    return render_template("notifications/unsubscribe.html", label=described.describe(target),
                           done=done or not follows.is_following(user, kind, target_id),
                           follow=True)
