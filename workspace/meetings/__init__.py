"""Meetings of a network: agenda, answers, attendance, minutes, decisions and action items."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.meetings import jobs, models  # noqa: F401 - tables, job handlers
    from workspace.meetings.views import bp

    app.register_blueprint(bp)
