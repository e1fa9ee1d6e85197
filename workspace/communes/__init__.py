"""Communes and the other member organisations of Le Mans Métropole."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.communes import models  # noqa: F401 - registers the tables
