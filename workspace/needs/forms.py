"""Forms of the needs register."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from workspace.core.i18n import datetime_filter


class NeedForm(FlaskForm):
    title = StringField(_l("Le besoin en quelques mots"),
                        validators=[DataRequired(), Length(max=200)],
                        description=_l("Par exemple : prise en main de la GED"))
    description = TextAreaField(_l("Précisions (facultatif)"),
                                validators=[Optional(), Length(max=5000)],
                                description=_l("Le contexte, ce que vous avez déjà essayé, "
                                               "l'urgence. Mise en forme Markdown possible."),
                                render_kw={"rows": 4})


class SupportForm(FlaskForm):
    comment = StringField(_l("Commentaire (facultatif)"),
                          validators=[Optional(), Length(max=500)],
                          description=_l("Ce que ce besoin représente pour votre commune."))


def _meeting_id(value) -> int | None:
    """The chosen meeting's id; None for the empty first option "Choisir une réunion…"."""
    return None if value in ("", None) else int(value)


class ToMeetingForm(FlaskForm):
    meeting = SelectField(_l("Réunion"), coerce=_meeting_id,
                          validators=[DataRequired(message=_l("Choisissez une réunion."))])

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting.choices = [SelectChoice("", _("Choisir une réunion…"))] + [
            SelectChoice(m.id, f"{m.title} — {datetime_filter(m.starts_at, 'long')}")
            for m in meetings]
