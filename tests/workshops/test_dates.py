"""Dates that make no sense give a clear French error on the right field and store nothing;
other bad input is refused the same way, never with a 500."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from tests.workshops.conftest import url
from tests.workshops.test_pages import FORM
from workspace.extensions import db
from workspace.workshops.models import Workshop


def field_error(response, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</div>', response.get_data(as_text=True), re.S)
    assert match, f"no error under {field}"
    return html.unescape(match.group(1)).strip()


def workshop_count() -> int:
    return db.session.scalar(select(func.count(Workshop.id)))


@pytest.mark.parametrize(('changes', 'field', 'message'), [
    ({"ends_at": "2027-06-10T08:00"}, "ends_at", "La fin doit être après le début."),
    ({"ends_at": "2027-06-10T09:00"}, "ends_at", "La fin doit être après le début."),
    ({"registration_deadline": "2027-06-10T10:00"}, "registration_deadline",
     "La clôture des inscriptions doit précéder le début de l'atelier."),
    ({"starts_at": "2027-02-30T09:00", "ends_at": "2027-02-30T12:00"}, "starts_at",
     "Date ou heure invalide."),
    ({"ends_at": "2027-06-10T25:00"}, "ends_at", "Date ou heure invalide."),
    ({"registration_deadline": "demain"}, "registration_deadline", "Date ou heure invalide."),
    # the night of 27 to 28 March 2027, clocks jump from 02:00 to 03:00 in Paris
    ({"starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T05:00",
      "registration_deadline": ""}, "starts_at",
     "L'heure 02:30 n'existe pas ce jour-là (passage à l'heure d'été)."),
    ({"starts_at": "0001-01-01T00:00"}, "starts_at", "Choisissez une date entre 2000 et 2100."),
    ({"starts_at": ""}, "starts_at", "Indiquez la date et l'heure."),
    ({"ends_at": "   "}, "ends_at", "Indiquez la date et l'heure."),
])
def test_senseless_dates_are_refused_on_their_field(world, signed_in, changes, field, message):
    response = signed_in(world.coordinator).post(url(world, "/new"), data={**FORM, **changes})
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert workshop_count() == 0


def test_skipped_hour_is_refused_when_editing_too(world, signed_in, make_workshop):
    workshop = make_workshop()
    response = signed_in(world.coordinator).post(url(world, f"/{workshop.id}/edit"), data={
        **FORM, "starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T04:00",
        "registration_deadline": ""})
    assert "n'existe pas ce jour-là" in field_error(response, "starts_at")
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).title == "Prise en main de la GED"


def test_ambiguous_autumn_hour_is_accepted(world, signed_in):
    # 31 October 2027, 02:30 happens twice in Paris: the first one (summer time) is taken
    response = signed_in(world.coordinator).post(url(world, "/new"), data={
        **FORM, "starts_at": "2027-10-31T02:30", "ends_at": "2027-10-31T05:00",
        "registration_deadline": ""})
    assert response.status_code == 302
    assert db.session.scalar(select(Workshop)).starts_at.hour == 0


@pytest.mark.parametrize(('changes', 'field'), [
    ({"capacity": "0"}, "capacity"),
    ({"capacity": "-3"}, "capacity"),
    ({"capacity": "beaucoup"}, "capacity"),
    ({"capacity": "9" * 30}, "capacity"),
    ({"capacity": ""}, "capacity"),
    ({"seats_per_commune": "0"}, "seats_per_commune"),
    ({"capacity": "5", "seats_per_commune": "8"}, "seats_per_commune"),
    ({"title": ""}, "title"),
    ({"theme": "   "}, "theme"),
    ({"title": "x" * 201}, "title"),
])
def test_other_bad_input_is_a_french_form_error(world, signed_in, changes, field):
    response = signed_in(world.coordinator).post(url(world, "/new"), data={**FORM, **changes})
    assert response.status_code == 200
    message = field_error(response, field)
    assert message and not any(word in message for word in ("This field", "Not a valid",
                                                             "Number must", "Field must"))
    assert workshop_count() == 0
