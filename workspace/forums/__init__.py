"""Forums: each network's discussion space."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.forums import search  # noqa: F401 - findable objects
    from workspace.forums import attachments, models, notify  # noqa: F401 - tables, jobs, links
    from workspace.forums.public import bp as public_bp
    from workspace.forums.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
