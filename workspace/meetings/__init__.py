"""Meetings of a network: agenda, answers, attendance, minutes, decisions and action items."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.meetings import search  # noqa: F401 - findable objects
    from workspace.meetings import models  # noqa: F401 - tables
    from workspace.meetings.views import bp

    app.register_blueprint(bp)
