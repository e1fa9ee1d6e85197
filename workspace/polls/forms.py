"""The form that opens a date poll. Slots are typed as a date and two times in Paris time
and converted to UTC here, with the meetings' rules (core/timezones.py: the hour skipped in
March is refused; the product's years; the end after the start), so that each problem is
reported on its own field. Rows left blank are ignored."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, RadioField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, Optional, StopValidation

from workspace.core.errors import DomainError
from workspace.core.inputs import ProductDateField, ProductDateTimeField
from workspace.core.models import utcnow
from workspace.core.timezones import local_to_utc
from workspace.polls.models import (
    ASK_CHOSEN,
    ASK_NETWORK,
    FOR_MEETING,
    FOR_WORKSHOP,
    SHOW_COORDINATORS,
    SHOW_MEMBERS,
)
from workspace.polls.service import MAX_SLOTS, PollData, check_poll

BLANK_SLOTS = 5  # rows offered on a new form: no JavaScript needed to add slots


class _TimeField(TimeField):
    """A time (HH:MM); blank is "no value", anything unreadable a French message."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%H:%M", "%H:%M:%S"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            super().process_formdata([str(value).strip()[:10] for value in valuelist])
        except ValueError:
            self.data = None
            raise ValueError(_("Heure invalide.")) from None


class SlotForm(Form):
    day = ProductDateField(_l("Date"), validators=[Optional()])
    starts = _TimeField(_l("Début"), validators=[Optional()])
    ends = _TimeField(_l("Fin"), validators=[Optional()])

    def is_blank(self) -> bool:
        return not any(field.raw_data and str(field.raw_data[0]).strip()
                       for field in (self.day, self.starts, self.ends))


class DateRequired:
    """Keeps the "invalid date" message of an unreadable value; blanks are missing."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        if field.data is None and not field.errors:
            raise StopValidation(_("Indiquez la date et l'heure."))


class PollForm(FlaskForm):
    title = StringField(_l("Titre"), validators=[DataRequired(), Length(max=200)],
                        description=_l("Par exemple : Réunion de rentrée du réseau"))
    target = RadioField(_l("Le sondage prépare"), default=FOR_MEETING, choices=[
        SelectChoice(FOR_MEETING, _l("une réunion")), SelectChoice(FOR_WORKSHOP, _l("un atelier"))])
    location = StringField(_l("Lieu"), validators=[Optional(), Length(max=300)])
    video_url = StringField(_l("Lien de visioconférence"), validators=[
        Optional(), Length(max=500), URL(require_tld=False, message=_l("Adresse web invalide."))])
    description = TextAreaField(_l("Présentation"), validators=[Optional(), Length(max=20000)],
                                render_kw={"rows": 3})
    slots = FieldList(FormField(SlotForm), min_entries=BLANK_SLOTS, max_entries=MAX_SLOTS)
    closes_at = ProductDateTimeField(_l("Clôture des réponses"), validators=[DateRequired()],
                                     description=_l("Heure de Paris ; avant le premier "
                                                    "créneau."))
    audience = RadioField(_l("Personnes interrogées"), default=ASK_NETWORK, choices=[
        SelectChoice(ASK_NETWORK, _l("tout le réseau")),
        SelectChoice(ASK_CHOSEN, _l("les membres et communes choisis ci-dessous"))])
    answers_shown_to = RadioField(_l("Qui voit les réponses de chacun"), default=SHOW_MEMBERS,
                                  choices=[
                                      SelectChoice(SHOW_MEMBERS, _l("les membres du réseau")),
                                      SelectChoice(SHOW_COORDINATORS,
                                                   _l("la coordination seulement"))])

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        self.slot_values: list[tuple[datetime, datetime]] = []
        for entry in self.slots:
            self._read_slot(entry.form)
        if not any(entry.form.errors for entry in self.slots) and len(self.slot_values) < 2:
            self.form_errors.append(_("Proposez au moins deux créneaux."))
        self.closes_utc = None
        if self.closes_at.data is not None and not self.closes_at.errors:
            try:
                self.closes_utc = local_to_utc(self.closes_at.data)
            except DomainError as error:
                self.closes_at.errors.append(error.message)
        return not self.errors and not self.form_errors

    def _read_slot(self, slot: SlotForm) -> None:
        if slot.is_blank() or any(f.errors for f in slot):
            return
        if slot.day.data is None or slot.starts.data is None or slot.ends.data is None:
            slot.day.errors.append(_("Indiquez la date, le début et la fin du créneau."))
            return
        try:
            starts = local_to_utc(datetime.combine(slot.day.data, slot.starts.data))
            ends = local_to_utc(datetime.combine(slot.day.data, slot.ends.data))
        except DomainError as error:
            slot.starts.errors.append(error.message)
            return
        if ends <= starts:
            slot.ends.errors.append(_("La fin doit être après le début."))
        elif starts <= utcnow():
            slot.day.errors.append(_("Ce créneau est passé."))
        else:
            self.slot_values.append((starts, ends))

    def poll_data(self, people_ids, commune_ids) -> PollData:
        """The validated values, dates in UTC (call after validate())."""
        return PollData(
            title=self.title.data.strip(), closes_at=self.closes_utc,
            slots=sorted(self.slot_values), description=self.description.data or "",
            location=self.location.data or "", video_url=self.video_url.data or "",
            target=self.target.data, audience=self.audience.data,
            answers_shown_to=self.answers_shown_to.data, people_ids=sorted(people_ids),
            commune_ids=sorted(commune_ids))

    def problems(self, people_ids, commune_ids) -> list[str]:
        return check_poll(self.poll_data(people_ids, commune_ids))

