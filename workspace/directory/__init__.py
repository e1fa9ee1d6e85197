"""The directory of people: who is the IT correspondent of Coulaines?"""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.directory import access
    from workspace.directory.views import bp
    from workspace.networks.access import share_with_templates

    app.register_blueprint(bp)
    share_with_templates(app, *access.PREDICATES)
