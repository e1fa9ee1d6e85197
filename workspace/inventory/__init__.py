"""The shared inventory of the communes' contracts, equipment and software."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.core.jobs import register_job, register_periodic
    from workspace.inventory import (
        models,  # noqa: F401 - tables
        reminders,
        transfer_views,  # noqa: F401 - import/export routes
    )
    from workspace.inventory.views import bp

    app.config.setdefault("INVENTORY_REMINDER_DAYS", (60, 15))
    app.register_blueprint(bp)
    register_job(app, "inventory.renewal_reminders", reminders.renewal_reminders_job)
    register_periodic(app, "inventory.renewal_reminders", "inventory.renewal_reminders",
                      daily_at="07:40")
