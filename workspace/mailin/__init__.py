"""Reply by e-mail: forum e-mails carry a signed reply address; a job takes the replies
from an IMAP mailbox and turns them into posts."""
from datetime import timedelta

from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.core.jobs import register_job, register_periodic
    from workspace.mailin import imap, models, views  # noqa: F401 - the table, the routes
    from workspace.notifications.targets import register_reply_address

    app.register_blueprint(views.bp)
    register_job(app, "mailin.poll", imap.poll_job)
    if imap.is_enabled(app):
        register_periodic(app, "mailin.poll", "mailin.poll", every=timedelta(minutes=1))
        register_reply_address(app, "forum_post", _forum_reply_address)


def _forum_reply_address(resolved, user):
    from workspace.mailin.tokens import reply_address

    return reply_address(user.id, resolved.obj.topic_id)
