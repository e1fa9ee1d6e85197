"""The form of the private feed page: make a new address, or stop the current one."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class FeedTokenForm(FlaskForm):
    issue = SubmitField(_l("Créer mon adresse de flux"))
    revoke = SubmitField(_l("Révoquer l'adresse"))
