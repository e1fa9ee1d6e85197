"""The signed-in user's home page: my networks and what waits for me."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.home.views import bp

    app.register_blueprint(bp)
