"""Administration: users and invitations, organisations, networks, background jobs."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.admin import access
    from workspace.admin.views import bp
    from workspace.networks.access import share_with_templates

    app.register_blueprint(bp)
    share_with_templates(app, *access.PREDICATES)
