"""Backup and restore of the database and files; full export of a network."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.backup import access
    from workspace.backup.cli import register_cli
    from workspace.backup.views import bp
    from workspace.networks.access import share_with_templates

    app.register_blueprint(bp)
    share_with_templates(app, *access.PREDICATES)
    register_cli(app)
