"""Notifications: one model of events, per-kind choices, follows, bell, digests.

Features register what they notify (kinds, targets, e-mails, what can be followed) from their
own `init_app`; this package imports none of them."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.auth.service import add_to_sign_in
    from workspace.core.jobs import register_job, register_periodic
    from workspace.notifications import delivery, follows, joins, models  # noqa: F401 - tables
    from workspace.notifications.service import receive_unread_count, unread_count_column
    from workspace.notifications.views import bp, public_bp

    delivery.init_delivery(app)
    joins.init_joins(app)
    register_job(app, "notifications.purge_follows", follows.purge_orphan_follows)
    register_periodic(app, "notifications.purge_follows", "notifications.purge_follows",
                      daily_at="03:45")
    add_to_sign_in(app, "unread_notifications", unread_count_column, receive_unread_count)
    app.register_blueprint(bp)
    app.register_blueprint(public_bp)

    @app.context_processor
    def notification_helpers():
        return {"notification_unread_count": _unread_count, "is_following": _is_following}


def _unread_count() -> int:
    """The bell's number, counted once per request (by the sign-in statement, see
    `service.unread_count_column`) and only for signed-in users."""
    from flask_login import current_user

    from workspace.notifications.service import unread_count_for_request

    return unread_count_for_request(current_user)


def _is_following(kind: str, target_id: int) -> bool:
    from flask_login import current_user

    from workspace.notifications.follows import is_following

    return current_user.is_authenticated and is_following(current_user, kind, target_id)
