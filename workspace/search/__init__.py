"""Full-text search: the French-analysed Whoosh index, the registry features fill, the
outbox-fed indexer, the search page and `flask search ...`."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.search import indexer, outbox  # noqa: F401 - job handlers
    from workspace.search.cli import register_cli
    from workspace.search.views import bp

    outbox.listen()
    app.register_blueprint(bp)
    register_cli(app)
