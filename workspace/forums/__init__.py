"""Forums: each network's discussion space."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.core.jobs import register_job
    from workspace.forums import (  # noqa: F401 - routes of `bp`
        attachments,
        live_views,
        models,
        moderation_views,
        notify,
        notifying,
        search,
        views,
    )
    from workspace.forums.loading import bp
    from workspace.forums.public import bp as public_bp

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    search.init_search(app)
    notifying.init_notifications(app)
    register_job(app, "forums.report", notify.send_report)
    # jobs queued by an earlier version: they now only record the notifications
    register_job(app, "forums.new_post", notify.send_new_post)
    register_job(app, "forums.mentions", notify.send_mentions)
