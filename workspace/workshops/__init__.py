"""Thematic workshops: registration with capacity and waiting list, attendance, notes."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.workshops import search  # noqa: F401 - findable objects
    from workspace.workshops import models  # noqa: F401 - tables
    from workspace.workshops.views import bp

    app.register_blueprint(bp)
