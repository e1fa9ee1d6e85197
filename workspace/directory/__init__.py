"""The directory of people: who is the IT correspondent of Coulaines?"""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.directory.views import bp

    app.register_blueprint(bp)
