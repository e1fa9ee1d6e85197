"""Notifications: one model of events, per-kind choices, bell, digests."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.notifications import delivery, models, sources  # noqa: F401 - tables, jobs
    from workspace.notifications.views import bp, folders_bp, public_bp

    sources.register_all()
    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(folders_bp)

    @app.context_processor
    def notification_helpers():
        return {"notification_unread_count": _unread_count,
                "is_following_folder": _is_following_folder}


def _unread_count() -> int:
    """The bell's number, counted once per request and only for signed-in users."""
    from flask import g
    from flask_login import current_user

    from workspace.notifications.service import unread_count

    if not current_user.is_authenticated:
        return 0
    if "_notification_unread" not in g:
        g._notification_unread = unread_count(current_user)
    return g._notification_unread


def _is_following_folder(folder) -> bool:
    from flask_login import current_user

    from workspace.notifications.service import is_following_folder

    return current_user.is_authenticated and is_following_folder(current_user, folder)
