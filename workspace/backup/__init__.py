"""Backup and restore of the database and files; full export of a network."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Placeholder: filled by the feature's work."""
