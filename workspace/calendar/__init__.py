"""Calendars: iCalendar files of meetings and workshops, private feeds, e-mail reminders."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.calendar import models, reminders  # noqa: F401 - tables, job handlers
    from workspace.calendar.views import bp, feed_bp

    app.register_blueprint(bp)
    app.register_blueprint(feed_bp)
