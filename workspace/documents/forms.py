"""Forms of the library pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class UploadForm(FlaskForm):
    files = MultipleFileField(_l("Fichiers"), validators=[DataRequired(message=_l(
        "Choisissez au moins un fichier."))], render_kw={"multiple": True})


class VersionForm(FlaskForm):
    file = FileField(_l("Nouvelle version"), validators=[FileRequired(message=_l(
        "Choisissez un fichier."))])
    comment = StringField(_l("Commentaire (facultatif)"), validators=[Optional(),
                                                                      Length(max=500)])


class FolderForm(FlaskForm):
    name = StringField(_l("Nom du dossier"), validators=[DataRequired(), Length(max=200)])


class MoveForm(FlaskForm):
    target = SelectField(_l("Déplacer vers"), coerce=int)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target.choices = [(0, str(_l("Racine de la bibliothèque")))] + list(choices)


class DocumentForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)],
                                render_kw={"rows": 4})
    tags = StringField(_l("Étiquettes"), validators=[Optional(), Length(max=600)],
                       description=_l("Séparées par des virgules, par exemple : énergie, AMO"))
    folder = SelectField(_l("Dossier"), coerce=int)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.folder.choices = [(0, str(_l("Racine de la bibliothèque")))] + list(choices)
