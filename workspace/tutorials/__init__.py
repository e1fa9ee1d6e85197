"""Tutorials: Markdown pages per network, with revisions and a table of contents."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.networks.access import share_with_templates
    from workspace.tutorials import access, models, search  # noqa: F401 - tables
    from workspace.tutorials.views import bp

    app.register_blueprint(bp)
    search.init_search(app)
    share_with_templates(app, *access.PREDICATES)
