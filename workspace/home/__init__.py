"""The signed-in user's dashboard: my networks and what is new or waits for me."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.home import models  # noqa: F401 - tables
    from workspace.home.views import bp

    app.register_blueprint(bp)
