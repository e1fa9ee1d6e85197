"""The needs register of a network."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.needs import search  # noqa: F401 - findable objects
    from workspace.needs import models  # noqa: F401 - tables
    from workspace.needs.views import bp

    app.register_blueprint(bp)
