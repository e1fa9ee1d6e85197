"""Printable and office exports of meetings and workshops (PDF, ODT, ODS)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.exports import access
    from workspace.exports.views import bp
    from workspace.networks.access import share_with_templates

    app.register_blueprint(bp)
    share_with_templates(app, *access.PREDICATES)
