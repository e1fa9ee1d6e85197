"""Shared documents: each network's library of folders, documents and versions."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.documents import search  # noqa: F401 - findable objects
    from workspace.documents import cli, jobs, models  # noqa: F401 - tables, job handlers
    from workspace.documents.receiving import StreamingRequest
    from workspace.documents.views import bp

    app.request_class = StreamingRequest
    app.register_blueprint(bp)
    cli.register_cli(app)
