"""Forms of the forum."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

BODY_HELP = _l("Mise en forme Markdown : **gras**, _italique_, [lien](https://…), listes avec "
               "« - ». Mentionnez un membre avec @prenom.nom.")


class PostForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=50_000)],
                         description=BODY_HELP, render_kw={"rows": 10})
    files = MultipleFileField(_l("Pièces jointes (facultatif)"), render_kw={"multiple": True})


class TopicForm(PostForm):
    title = StringField(_l("Titre du sujet"), validators=[DataRequired(), Length(max=200)])
    important = BooleanField(_l("Annonce importante : prévenir tout de suite par e-mail tous "
                                "les membres du réseau"))


class EditForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=50_000)],
                         description=BODY_HELP, render_kw={"rows": 12})
    revision = HiddenField()


class CategoryForm(FlaskForm):
    name = StringField(_l("Nom"), validators=[DataRequired(), Length(max=120)])
    description = StringField(_l("Description"), validators=[Optional(), Length(max=500)])
    is_archived = BooleanField(_l("Archivée : plus de nouveaux sujets, lecture seule"))


class ReportForm(FlaskForm):
    reason = TextAreaField(_l("Pourquoi signalez-vous ce message ?"),
                           validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 4})


class MoveTopicForm(FlaskForm):
    category = SelectField(_l("Déplacer vers la catégorie"), coerce=int)
