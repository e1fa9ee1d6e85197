"""Meetings of a network: agenda, answers, attendance, minutes, decisions and action items."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.meetings import access, models, notifying, search  # noqa: F401 - tables
    from workspace.meetings.views import bp, network_panel
    from workspace.networks.access import share_with_templates
    from workspace.networks.panels import register_panel

    app.register_blueprint(bp)
    search.init_search(app)
    notifying.init_notifications(app)
    register_panel(app, "meetings", network_panel)
    share_with_templates(app, *access.PREDICATES)
