"""Tutorials: Markdown pages per network, with revisions and a table of contents."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Placeholder: filled by the feature's work."""
