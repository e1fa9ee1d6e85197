"""Administration: users and invitations, organisations, networks, background jobs."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.admin.views import bp

    app.register_blueprint(bp)
