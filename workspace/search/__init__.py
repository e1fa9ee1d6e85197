"""Full-text search: the French-analysed Whoosh index of each host, the registry features
fill, the change log every host's follower applies, the search page and `flask search ...`."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.core.jobs import register_job, register_periodic, register_worker_step
    from workspace.core.registry import register_startup_check
    from workspace.search import changes, follower, indexer, outbox
    from workspace.search.cli import register_cli
    from workspace.search.views import bp

    outbox.listen()
    register_worker_step(app, "search.follow", follower.follow)
    register_job(app, "search.purge_changes", changes.purge_changes)
    register_periodic(app, "search.purge_changes", "search.purge_changes", daily_at="04:15")
    # kinds of earlier releases that may still be queued: an optimisation (now each host's
    # follower does it at night) and the rebuild after a schema change (now every host's)
    register_job(app, "search.optimize", indexer.optimize_index)
    register_job(app, "search.rebuild", changes.rebuild_everywhere_job)
    register_startup_check(app, "search", indexer.indexed_kinds_without_registration)
    app.register_blueprint(bp)
    register_cli(app)
