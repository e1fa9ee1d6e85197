"""The pooling plan: priority actions, yearly objectives, calendar by semester, progress report."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Placeholder: filled by the feature's work."""
