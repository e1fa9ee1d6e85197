"""A network's activity stream, as a page and as an Atom feed behind a private token."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.activity import access, models  # noqa: F401 - tables
    from workspace.activity.labels import kind_label
    from workspace.activity.views import bp, feed_bp
    from workspace.networks.access import share_with_templates

    app.register_blueprint(bp)
    app.register_blueprint(feed_bp)
    share_with_templates(app, *access.PREDICATES)
    app.add_template_global(kind_label, "activity_kind")
