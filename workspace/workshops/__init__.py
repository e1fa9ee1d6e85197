"""Thematic workshops: registration with capacity and waiting list, attendance, notes."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.networks.access import share_with_templates
    from workspace.networks.panels import register_panel
    from workspace.workshops import access, models, notifying, search  # noqa: F401 - tables
    from workspace.workshops.views import bp, network_panel

    app.register_blueprint(bp)
    search.init_search(app)
    notifying.init_notifications(app)
    register_panel(app, "workshops", network_panel)
    share_with_templates(app, *access.PREDICATES)
