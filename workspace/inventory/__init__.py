"""The shared inventory of the communes' contracts, equipment and software."""
from flask import Flask


def init_app(app: Flask) -> None:
    """Placeholder: filled by the feature's work."""
