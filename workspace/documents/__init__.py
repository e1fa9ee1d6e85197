"""Shared documents: each network's library of folders, documents and versions."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.core.jobs import register_job, register_periodic
    from workspace.documents import (  # noqa: F401
        bulk_views,
        cli,
        jobs,
        models,
        notifying,
        search,
        service,
    )
    from workspace.documents.receiving import StreamingRequest
    from workspace.documents.views import bp

    app.request_class = StreamingRequest
    app.register_blueprint(bp)
    cli.register_cli(app)
    search.init_search(app)
    notifying.init_notifications(app)
    register_job(app, "documents.extract", jobs.extract_version)
    register_job(app, "documents.sweep", jobs.sweep_orphans)
    register_periodic(app, "documents.sweep", "documents.sweep", daily_at="03:00")
    register_job(app, "documents.purge", service.purge_trash)
    register_periodic(app, "documents.purge", "documents.purge", daily_at="02:30")
