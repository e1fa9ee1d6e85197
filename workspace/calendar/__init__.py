"""Calendars: iCalendar files of meetings and workshops, private feeds, e-mail reminders."""
from flask import Flask


def init_app(app: Flask) -> None:
    from datetime import timedelta

    from workspace.calendar import access, models, reminders  # noqa: F401 - tables
    from workspace.calendar.views import bp, feed_bp, my_bp
    from workspace.core.jobs import register_job, register_periodic
    from workspace.networks.access import share_with_templates

    app.register_blueprint(bp)
    app.register_blueprint(feed_bp)
    app.register_blueprint(my_bp)
    share_with_templates(app, *access.PREDICATES)
    register_job(app, "calendar.event_reminders", reminders.event_reminders_job)
    register_periodic(app, "calendar.event_reminders", "calendar.event_reminders",
                      every=timedelta(minutes=15))
    register_job(app, "calendar.overdue_actions", reminders.overdue_actions_job)
    register_periodic(app, "calendar.overdue_actions", "calendar.overdue_actions",
                      daily_at="07:30")
