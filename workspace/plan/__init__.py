"""The pooling plan: priority actions, yearly objectives, calendar by semester, progress report."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.plan import models  # noqa: F401 - tables
    from workspace.plan.network_views import bp as network_bp
    from workspace.plan.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(network_bp)
