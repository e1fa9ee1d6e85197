"""Forms of the meeting pages."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from workspace.core.inputs import (
    INVALID_DATETIME,
    ProductDateField,
    ProductDateTimeField,
    parse_int,
)
from workspace.meetings.service import AgendaLine


def parse_agenda(text: str) -> list[AgendaLine]:
    """One item per line: "Title | presenter | minutes" (presenter and minutes optional)."""
    lines = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [part.strip() for part in raw.split("|")]
        minutes = None
        if len(parts) > 2 and parts[2]:
            minutes = parse_int(parts[2], 1, 600)
            if minutes is None:
                raise ValueError(_("Ligne %(n)d : la durée doit être un nombre de minutes "
                                   "(1 à 600).", n=number))
        lines.append(AgendaLine(parts[0][:300], parts[1][:160] if len(parts) > 1 else "",
                                minutes))
    if len(lines) > 60:
        raise ValueError(_("Soixante points au plus."))
    return lines


def agenda_text(meeting) -> str:
    return "\n".join(" | ".join([item.title, item.presenter or "",
                                 str(item.duration_minutes or "")]).rstrip(" |")
                     for item in meeting.agenda)


class MeetingForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(), Length(max=200)])
    starts_at = ProductDateTimeField(_l("Début"),
                                     validators=[DataRequired(message=INVALID_DATETIME)])
    ends_at = ProductDateTimeField(_l("Fin"), validators=[DataRequired(message=INVALID_DATETIME)])
    location = StringField(_l("Lieu"), validators=[Optional(), Length(max=300)])
    video_url = StringField(_l("Lien de visioconférence"), validators=[
        Optional(), Length(max=500), URL(require_tld=False, message=_l("Adresse web invalide."))])
    description = TextAreaField(_l("Présentation"), validators=[Optional(), Length(max=20000)],
                                render_kw={"rows": 4})
    agenda = TextAreaField(
        _l("Ordre du jour"), validators=[Optional(), Length(max=20000)], render_kw={"rows": 6},
        description=_l("Un point par ligne : « Titre | intervenant | durée en minutes ». Les "
                       "actions ouvertes du réseau s'ajoutent d'elles-mêmes."))
    important = BooleanField(_l("Important : prévenir tout de suite par e-mail tous les "
                                "membres du réseau, même ceux qui reçoivent un résumé"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda_lines: list[AgendaLine] = []  # an empty agenda is allowed

    def validate_agenda(self, field):
        try:
            self.agenda_lines = parse_agenda(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_("La fin doit être après le début."))


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Compte rendu"), validators=[Optional(), Length(max=200_000)],
                            render_kw={"rows": 16},
                            description=_l("Mise en forme Markdown acceptée."))


class DecisionForm(FlaskForm):
    text = TextAreaField(_l("Décision"), validators=[DataRequired(), Length(max=5000)],
                         render_kw={"rows": 2})


class ActionForm(FlaskForm):
    title = StringField(_l("Action"), validators=[DataRequired(), Length(max=300)])
    owner = SelectField(_l("Responsable"), validators=[DataRequired()])
    due_on = ProductDateField(_l("Échéance"), validators=[Optional()])

    def __init__(self, *args, members=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner.choices = (
            [("", _("— Choisir —"))]
            + [(f"user:{user.id}", user.full_name) for user in members]
            + [(f"org:{org.id}", _("Commune : %(name)s", name=org.name))
               for org in organisations])
