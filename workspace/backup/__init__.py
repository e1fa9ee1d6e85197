"""Backup and restore of the database and files; full export of a network."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.backup.cli import register_cli
    from workspace.backup.views import bp

    app.register_blueprint(bp)
    register_cli(app)
