"""Forms of the workshop pages. Dates are typed as Paris wall-clock time and converted to UTC
here, so that every date problem is reported on its own field."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation

from workspace.core.errors import DomainError
from workspace.core.inputs import BoundedIntegerField, ProductDateTimeField
from workspace.core.timezones import local_naive, local_to_utc
from workspace.workshops.models import Workshop
from workspace.workshops.service import WorkshopData, check_dates

MARKDOWN_HELP = _l("Mise en forme Markdown : **gras**, _italique_, [lien](https://…), listes "
                   "avec « - ».")
MAX_SEATS = 1000
SEATS_RANGE = _l("Entre 1 et %(max)d places.", max=MAX_SEATS)
# A date and time typed in Paris time, within the product's years. An empty value is "no
# value" (the validators decide whether one is required), anything unreadable is "Date ou
# heure invalide.".
LocalDateTimeField = ProductDateTimeField


class DateRequired:
    """Like InputRequired, but keeps the "invalid date" message of an unreadable value
    instead of replacing it, and counts blanks as missing."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        if field.data is None and not field.errors:
            raise StopValidation(_("Indiquez la date et l'heure."))


def _required_date():
    return [DateRequired()]


class WorkshopForm(FlaskForm):
    theme = StringField(_l("Thème"), validators=[DataRequired(), Length(max=120)],
                        description=_l("Par exemple : GED, Zimbra, marchés publics"))
    title = StringField(_l("Titre"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20_000)],
                                description=MARKDOWN_HELP, render_kw={"rows": 8})
    starts_at = LocalDateTimeField(_l("Début"), validators=_required_date(),
                                   description=_l("Heure de Paris"))
    ends_at = LocalDateTimeField(_l("Fin"), validators=_required_date(),
                                 description=_l("Heure de Paris"))
    registration_deadline = LocalDateTimeField(
        _l("Clôture des inscriptions"), validators=[Optional()],
        description=_l("Facultatif : par défaut, les inscriptions ferment au début de "
                       "l'atelier."))
    location = StringField(_l("Lieu"), validators=[Optional(), Length(max=300)])
    capacity = BoundedIntegerField(
        _l("Nombre de places"), minimum=1, maximum=MAX_SEATS, message=SEATS_RANGE,
        validators=[InputRequired(message=_l("Indiquez le nombre de places."))])
    seats_per_commune = BoundedIntegerField(
        _l("Places par commune"), minimum=1, maximum=MAX_SEATS, message=SEATS_RANGE,
        validators=[Optional()],
        description=_l("Facultatif : limite le nombre d'inscrits confirmés d'une même "
                       "commune."))

    @classmethod
    def for_workshop(cls, workshop: Workshop) -> WorkshopForm:
        """The form filled with a workshop, its dates in Paris time."""
        return cls(data={
            "theme": workshop.theme, "title": workshop.title,
            "description": workshop.description, "location": workshop.location,
            "capacity": workshop.capacity, "seats_per_commune": workshop.seats_per_commune,
            "starts_at": local_naive(workshop.starts_at),
            "ends_at": local_naive(workshop.ends_at),
            "registration_deadline": local_naive(workshop.registration_deadline)})

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        self._utc: dict[str, datetime] = {}
        for field in (self.starts_at, self.ends_at, self.registration_deadline):
            if field.data is not None and not field.errors:
                self._convert(field)
        starts, ends = self._utc.get("starts_at"), self._utc.get("ends_at")
        if starts is not None and ends is not None:
            for name, message in check_dates(starts, ends,
                                             self._utc.get("registration_deadline")):
                self[name].errors.append(message)
        seats, capacity = self.seats_per_commune.data, self.capacity.data
        if not self.seats_per_commune.errors and seats and capacity and seats > capacity:
            self.seats_per_commune.errors.append(
                _("Pas plus de places par commune que de places au total."))
        return not any(field.errors for field in self) and not self.form_errors

    def _convert(self, field) -> None:
        try:
            self._utc[field.name] = local_to_utc(field.data)
        except DomainError as error:
            field.errors.append(error.message)

    def workshop_data(self) -> WorkshopData:
        """The validated values, dates in UTC (call after validate())."""
        starts_at = self._utc["starts_at"]
        return WorkshopData(
            theme=self.theme.data.strip(), title=self.title.data.strip(),
            description=self.description.data or "", starts_at=starts_at,
            ends_at=self._utc["ends_at"], location=(self.location.data or "").strip(),
            capacity=self.capacity.data, seats_per_commune=self.seats_per_commune.data,
            registration_deadline=self._utc.get("registration_deadline") or starts_at)


class NotesForm(FlaskForm):
    body = TextAreaField(_l("Notes de l'atelier"), validators=[Optional(),
                                                              Length(max=100_000)],
                         description=MARKDOWN_HELP, render_kw={"rows": 16})


class RatingField(RadioField):
    """A radio choice of 1 to 5 where an unreadable value counts as no answer (one clear
    message instead of two technical ones)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None

    def pre_validate(self, form):
        if self.data is not None and self.data not in range(1, 6):
            raise StopValidation(_("Choisissez une note de 1 à 5."))


class FeedbackForm(FlaskForm):
    rating = RatingField(_l("Votre note"), coerce=int,
                         choices=[SelectChoice(n, str(n)) for n in range(1, 6)],
                         validators=[DataRequired(message=_l("Choisissez une note de 1 à 5."))])
    useful = TextAreaField(_l("Ce qui vous a été utile"),
                           validators=[Optional(), Length(max=5000)], render_kw={"rows": 4})
    improve = TextAreaField(_l("Ce qui pourrait être amélioré"),
                            validators=[Optional(), Length(max=5000)], render_kw={"rows": 4})
