"""Notifications: one model of events, per-kind choices, bell, digests."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Placeholder: filled by the feature's work."""
