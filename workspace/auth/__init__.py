"""Accounts: sign-in, sessions, passwords, invitations and the user's own profile."""
from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from datetime import timedelta

    from workspace.auth import handles, models, service  # noqa: F401 - tables, events, jobs
    from workspace.auth.labels import function_label
    from workspace.auth.views import bp
    from workspace.core.jobs import register_job, register_periodic
    from workspace.extensions import login_manager

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(service.load_user_for_token)
    app.register_blueprint(bp)
    app.jinja_env.filters["function_label"] = function_label
    register_job(app, "auth.purge", service.purge_expired)
    register_periodic(app, "auth.purge", "auth.purge", every=timedelta(hours=6))
