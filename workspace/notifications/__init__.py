"""Notifications: one model of events, per-kind choices, bell, digests."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.notifications import delivery, models, sources  # noqa: F401 - tables, jobs
    from workspace.notifications.views import bp, folders_bp, public_bp

    from workspace.auth.service import add_to_sign_in
    from workspace.notifications.service import receive_unread_count, unread_count_column

    sources.register_all()
    add_to_sign_in("unread_notifications", unread_count_column, receive_unread_count)
    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(folders_bp)

    @app.context_processor
    def notification_helpers():
        return {"notification_unread_count": _unread_count,
                "is_following_folder": _is_following_folder}


def _unread_count() -> int:
    """The bell's number, counted once per request (by the sign-in statement, see
    `service.unread_count_column`) and only for signed-in users."""
    from flask import g
    from flask_login import current_user

    from workspace.notifications.service import unread_count

    if not current_user.is_authenticated:
        return 0
    known = g.get("_notification_unread")
    if known is None or known[0] != current_user.id:
        known = g._notification_unread = (current_user.id, unread_count(current_user))
    return known[1]


def _is_following_folder(folder) -> bool:
    from flask_login import current_user

    from workspace.notifications.service import is_following_folder

    return current_user.is_authenticated and is_following_folder(current_user, folder)
