"""The shared inventory of the communes' contracts, equipment and software."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.inventory import models  # noqa: F401 - tables
    from workspace.inventory import reminders  # noqa: F401 - periodic renewal reminders
    from workspace.inventory import transfer_views  # noqa: F401 - import/export routes
    from workspace.inventory.views import bp

    app.config.setdefault("INVENTORY_REMINDER_DAYS", (60, 15))
    app.register_blueprint(bp)
