"""A network's activity stream, as a page and as an Atom feed behind a private token."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Placeholder: filled by the feature's work."""
