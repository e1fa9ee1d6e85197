"""Personal data (RGPD export, anonymisation), audit log of security events, legal pages."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Placeholder: filled by the feature's work."""
