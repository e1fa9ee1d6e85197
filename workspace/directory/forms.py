"""The directory's filter form (GET, no CSRF: it changes nothing)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField
from wtforms.validators import Length, Optional

from workspace.auth.labels import function_choices


class DirectoryForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Nom, poste ou adresse"), validators=[Optional(), Length(max=100)])
    commune = SelectField(_l("Commune ou organisation"), coerce=int, default=0,
                          validators=[Optional()])
    network = SelectField(_l("Réseau"), coerce=int, default=0, validators=[Optional()])
    function = SelectField(_l("Fonction"), default="", validators=[Optional()])

    def __init__(self, *args, organisations=(), networks=(), **kwargs):
        super().__init__(*args, **kwargs)
        everyone = str(_l("Toutes"))
        self.commune.choices = [(0, everyone)] + [(o.id, o.name) for o in organisations]
        self.network.choices = [(0, str(_l("Tous")))] + [(n.id, n.name) for n in networks]
        self.function.choices = [("", everyone)] + function_choices()
