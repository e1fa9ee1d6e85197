"""The preferences form: CSRF here; the choices are read and checked by the service."""
from __future__ import annotations

from flask_wtf import FlaskForm


class PreferencesForm(FlaskForm):
    pass
