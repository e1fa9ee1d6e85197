"""Full-text search: the French-analysed Whoosh index, the registry features fill, the
outbox-fed indexer, the search page and `flask search ...`."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.core.jobs import register_job, register_periodic, register_worker_start
    from workspace.core.registry import register_startup_check
    from workspace.search import indexer, outbox
    from workspace.search.cli import register_cli
    from workspace.search.views import bp

    outbox.listen()
    register_job(app, "search.index", indexer.index_object)
    register_job(app, "search.optimize", indexer.optimize_index)
    register_job(app, "search.rebuild", indexer.rebuild_job)
    register_worker_start(app, "search.rebuild_after_upgrade", indexer.rebuild_after_upgrade)
    register_periodic(app, "search.optimize", "search.optimize", daily_at="02:45")
    register_startup_check(app, "search", indexer.indexed_kinds_without_registration)
    app.register_blueprint(bp)
    register_cli(app)
