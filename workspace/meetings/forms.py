"""Forms of the meeting pages."""
from __future__ import annotations

from flask import has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from workspace.core.inputs import (
    INVALID_DATETIME,
    BoundedIntegerField,
    ProductDateField,
    ProductDateTimeField,
)
from workspace.meetings import agenda_rows
from workspace.meetings.service import AgendaLine

DURATION_MESSAGE = _l("La durée est un nombre de minutes, de 1 à 600.")


def _submitted() -> bool:
    return has_request_context() and request.method in {"POST", "PUT", "PATCH", "DELETE"}


class AgendaRowForm(Form):
    """One point of the agenda; a row left entirely blank is ignored."""

    title = StringField(_l("Titre du point"), validators=[
        Length(max=300, message=_l("Le titre d'un point : 300 caractères au plus."))])
    presenter = StringField(_l("Intervenant"), validators=[
        Length(max=160, message=_l("L'intervenant : 160 caractères au plus."))])
    duration = BoundedIntegerField(
        _l("Durée (minutes)"), validators=[Optional()], minimum=1, maximum=600,
        message=DURATION_MESSAGE, invalid=DURATION_MESSAGE)

    def validate_title(self, field):
        duration = (self.duration.raw_data or [""])[0]
        if not (field.data or "").strip() and not agenda_rows.is_blank(
                {"presenter": self.presenter.data or "", "duration": duration}):
            raise ValidationError(_("Indiquez le titre de ce point, ou videz la ligne."))


def agenda_data(meeting) -> list[dict]:
    """The rows of a meeting's agenda, to fill the form."""
    return [{"title": item.title, "presenter": item.presenter or "",
             "duration": item.duration_minutes} for item in meeting.agenda]


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
    agenda = FieldList(
        FormField(AgendaRowForm), label=_l("Ordre du jour"), min_entries=1,
        description=_l("Les actions ouvertes du réseau s'ajoutent d'elles-mêmes."))
    important = BooleanField(_l("Important : prévenir tout de suite par e-mail tous les "
                                "membres du réseau, même ceux qui reçoivent un résumé"))

    def __init__(self, *args, **kwargs):
        """On a submission, the agenda rows are read by `agenda_rows` (renumbered, and
        edited when a row button was pressed) before WTForms sees them."""
        self.agenda_action, self.agenda_focus = "", None
        if not args and "formdata" not in kwargs and _submitted():
            rows = agenda_rows.posted_rows(request.form)
            self.agenda_action = request.form.get(agenda_rows.ACTION, "")
            if self.agenda_action:
                rows, self.agenda_focus = agenda_rows.apply_action(rows, self.agenda_action)
            kwargs["formdata"] = agenda_rows.with_rows(request.form, rows)
        super().__init__(*args, **kwargs)

    def validate_on_submit(self, extra_validators=None) -> bool:
        """A row button edits the form: it is shown again, unchecked, not saved."""
        return not self.agenda_action and super().validate_on_submit(extra_validators)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if len(self.agenda_lines) > agenda_rows.MAX_ROWS:
            self.form_errors.append(_("L'ordre du jour compte %(n)d points : soixante au "
                                      "plus.", n=len(self.agenda_lines)))
            return False
        return valid

    @property
    def agenda_lines(self) -> list[AgendaLine]:
        """The agenda's points, blank rows left out (meaningful once validated)."""
        return [AgendaLine(row.title.data.strip(), (row.presenter.data or "").strip(),
                           row.duration.data)
                for row in (entry.form for entry in self.agenda)
                if (row.title.data or "").strip()]

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
