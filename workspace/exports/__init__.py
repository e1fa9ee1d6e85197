"""Printable and office exports of meetings and workshops (PDF, ODT, ODS)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.exports.views import bp

    app.register_blueprint(bp)
