"""Forms of the plan pages. Every refusal has its own French message on its field."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from workspace.core.inputs import ID_MAX, BoundedIntegerField, parse_int
from workspace.plan.models import FIRST_YEAR, LAST_YEAR
from workspace.plan.service import KIND_LABELS, MAX_OBJECTIVES, SEMESTER_LABELS, STATUS_LABELS

MARKDOWN_HELP = _l("Mise en forme Markdown : listes avec « - », **gras**, _italique_.")
YEAR_MESSAGE = _l("Choisissez une année entre %(first)d et %(last)d.", first=FIRST_YEAR,
                  last=LAST_YEAR)
NUMBER_INVALID = _l("Le numéro est un nombre entier.")


class ChoiceField(SelectField):
    """A select whose unknown value is refused with the field's own French message."""

    def __init__(self, label=None, validators=None, invalid=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid = invalid
        self.type = "SelectField"  # rendered as a select by the forms macro

    def pre_validate(self, form):
        if self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(self.invalid)


class NetworkChoice(SelectMultipleField):
    """Network ids; an unknown or unreadable value is refused in French."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.type = "SelectField"

    def process_formdata(self, valuelist):
        self.data = [value for raw in valuelist
                     if (value := parse_int(str(raw), 1, ID_MAX)) is not None]
        self.bad = len(self.data) != len(valuelist)

    def pre_validate(self, form):
        known = {choice.value for choice in self.choices}
        if getattr(self, "bad", False) or not set(self.data or []) <= known:
            raise ValidationError(_l("Choisissez des réseaux dans la liste."))


def choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


def _year_field(label):
    return BoundedIntegerField(label, minimum=FIRST_YEAR, maximum=LAST_YEAR,
                               message=YEAR_MESSAGE, invalid=YEAR_MESSAGE,
                               validators=[InputRequired(message=YEAR_MESSAGE)])


class PlanForm(FlaskForm):
    title = StringField(_l("Intitulé du plan"), validators=[DataRequired(), Length(max=200)],
                        description=_l("Par exemple : Schéma de mutualisation des services"))
    first_year = _year_field(_l("Première année"))
    last_year = _year_field(_l("Dernière année"))
    description = TextAreaField(_l("Présentation"), validators=[Optional(),
                                                                Length(max=20_000)],
                                description=MARKDOWN_HELP, render_kw={"rows": 4})


class ActionForm(FlaskForm):
    number = BoundedIntegerField(_l("Numéro"), minimum=1, maximum=99,
                                 message=_l("Un numéro entre 1 et 99."), invalid=NUMBER_INVALID,
                                 validators=[Optional()],
                                 description=_l("Facultatif : à la suite des autres actions."))
    title = StringField(_l("Intitulé de l'action"), validators=[DataRequired(),
                                                                Length(max=300)])
    axis = StringField(_l("Axe du schéma"), validators=[Optional(), Length(max=300)],
                       description=_l("Par exemple : mutualisations entre Le Mans Métropole "
                                      "et ses communes membres"))
    networks = NetworkChoice(_l("Réseaux de l'action"),
                             description=_l("Sans réseau, l'action est visible de tous "
                                            "et modifiée par les administrateurs."))


class ReminderForm(FlaskForm):
    text = TextAreaField(_l("Rappel des actions"), validators=[Optional(), Length(max=20_000)],
                         description=MARKDOWN_HELP, render_kw={"rows": 5})


class ObjectiveForm(FlaskForm):
    number = BoundedIntegerField(
        _l("Numéro"), minimum=1, maximum=MAX_OBJECTIVES, invalid=NUMBER_INVALID,
        message=_l("Un numéro entre 1 et %(max)d.", max=MAX_OBJECTIVES), validators=[Optional()],
        description=_l("Facultatif : à la suite des autres objectifs."))
    title = TextAreaField(_l("Objectif"), validators=[DataRequired(message=_l(
        "Décrivez l'objectif.")), Length(max=2000)], render_kw={"rows": 2})
    year = _year_field(_l("Année"))
    semester = ChoiceField(_l("Calendrier"), choices=choices(SEMESTER_LABELS),
                           invalid=_l("Semestre inconnu : choisissez le 1er, le 2nd ou toute "
                                      "l'année."))
    kind = ChoiceField(_l("Type"), choices=choices(KIND_LABELS),
                       invalid=_l("Type d'objectif inconnu."))
    status = ChoiceField(_l("État"), choices=choices(STATUS_LABELS),
                         invalid=_l("État inconnu : prévu, en cours, réalisé ou abandonné."))
    progress_note = StringField(_l("Note d'avancement"), validators=[Optional(),
                                                                     Length(max=1000)])

