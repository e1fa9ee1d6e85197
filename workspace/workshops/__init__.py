"""Thematic workshops: registration with capacity and waiting list, attendance, notes."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.workshops import models, notifying, search  # noqa: F401 - tables
    from workspace.workshops.views import bp, network_panel
    from workspace.networks.panels import register_panel

    app.register_blueprint(bp)
    search.init_search(app)
    notifying.init_notifications(app)
    register_panel(app, "workshops", network_panel)
