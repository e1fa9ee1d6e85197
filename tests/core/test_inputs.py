"""The one reader of numbers, ids and dates: bounded to what the database and the calendar
accept, whatever is typed."""
from __future__ import annotations

from datetime import date

import pytest
from flask_wtf import FlaskForm
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from workspace.core.inputs import (
    FIRST_YEAR,
    ID_MAX,
    LAST_YEAR,
    PAGE_MAX,
    IdField,
    ProductDateField,
    ProductDateTimeField,
    TextValues,
    form_id,
    form_ids,
    parse_date,
    parse_int,
    query_id,
    query_int,
    query_page,
)


@given(st.one_of(st.text(max_size=40), st.integers(min_value=-(10**30),
                                                   max_value=10**30).map(str)))
def test_parse_int_is_within_bounds_or_none(raw):
    value = parse_int(raw, 1, ID_MAX)
    assert value is None or 1 <= value <= ID_MAX


@pytest.mark.parametrize(("raw", "value"), [
    ("7", 7), (" 12 ", 12), ("2147483647", ID_MAX), ("2147483648", None), ("0", None),
    ("-1", None), ("99999999999999999999", None), ("٣", None), ("²", None), ("1e3", None),
    ("", None), (None, None)])
def test_parse_int(raw, value):
    assert parse_int(raw, 1, ID_MAX) == value


def test_ids_in_query_strings_are_absent_or_404(app):
    with app.test_request_context("/?folder=&parent=0&quote=12"):
        assert query_id("folder") is None and query_id("parent") is None
        assert query_id("quote") == 12 and query_id("missing") is None
    for bad in ("99999999999999999999", "-3", "abc", "2147483648"):
        with app.test_request_context(f"/?folder={bad}"), pytest.raises(NotFound):
            query_id("folder")
    with app.test_request_context("/", method="POST",
                                  data={"target": "99999999999999999999",
                                        "present": ["3", "x", "99999999999999999999", "4"]}):
        assert form_ids("present") == {3, 4}
        with pytest.raises(NotFound):
            form_id("target")


@pytest.mark.parametrize(("raw", "page"), [("", 1), ("3", 3), ("0", None), ("-2", None),
                                       ("abc", None), ("99999999999999999999", None),
                                       (str(PAGE_MAX), PAGE_MAX)])
def test_pages_are_404_or_the_first_page(app, raw, page):
    with app.test_request_context(f"/?page={raw}&months=99"):
        assert query_page(error_out=False) == (page or 1)
        if page is None:
            with pytest.raises(NotFound):
                query_page()
        else:
            assert query_page() == page
        assert query_int("months", 12, 1, 36) == 12


def test_dates_outside_the_product_years_are_none():
    assert parse_date(f"{FIRST_YEAR}-01-01") == date(FIRST_YEAR, 1, 1)
    assert parse_date(f"{LAST_YEAR + 1}-01-01") is None
    assert parse_date("9999-12-31") is None and parse_date("2017-02-30") is None


class _Form(FlaskForm):
    class Meta:
        csrf = False

    account = IdField("Compte")
    day = ProductDateField("Jour")
    moment = ProductDateTimeField("Moment")


@pytest.mark.parametrize(("data", "errors"), [
    ({"account": "12", "day": "2030-01-31", "moment": "2030-01-31T10:00"}, {}),
    ({"account": "", "day": "", "moment": ""}, {}),
    ({"account": "99999999999999999999"}, {"account": "Ce numéro n'existe pas."}),
    ({"account": "douze"}, {"account": "N'est pas un entier valide."}),
    ({"day": "9999-12-31"}, {"day": "Choisissez une date entre 2000 et 2100."}),
    ({"day": "2030-02-30"}, {"day": "Date invalide."}),
    ({"moment": "9999-12-31T23:59"}, {"moment": "Choisissez une date entre 2000 et 2100."}),
    ({"moment": "demain"}, {"moment": "Date ou heure invalide."}),
])
def test_form_fields_say_what_is_wrong_in_french(app, data, errors):
    with app.test_request_context("/", method="POST", data=data):
        form = _Form(MultiDict(data))
        form.validate()
        assert {name: messages[0] for name, messages in form.errors.items()} == errors


# --- NUL characters: PostgreSQL refuses them in text, no browser sends one -------------------

@given(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8)), max_size=6))
def test_text_values_never_hold_a_nul_and_keep_everything_else(pairs):
    values = TextValues(pairs)
    expected = MultiDict([(k.replace("\x00", ""), v.replace("\x00", "")) for k, v in pairs])
    assert sorted(values.items(multi=True)) == sorted(expected.items(multi=True))
    for key in expected:
        assert values.getlist(key) == expected.getlist(key)
    assert all("\x00" not in k + v for k, v in values.items(multi=True))


def test_text_values_accept_what_werkzeug_passes():
    assert TextValues(MultiDict([("a", "x\x00"), ("a", "y")])).getlist("a") == ["x", "y"]
    assert TextValues({"b": "\x00z"})["b"] == "z"
    assert TextValues() == {}


def test_a_nul_in_a_form_or_query_is_dropped_before_any_view_reads_it(app, make_user, login):
    """On PostgreSQL a NUL reaching a text column or a comparison was a 500: the sign-in
    form, a profile field and a search carrying one now answer as without it."""
    from workspace.auth.models import User
    from workspace.extensions import db

    user = make_user(email="nul@example.org")
    client = app.test_client()
    refused = client.post("/login", data={"email": "\x00", "password": "\x00"})
    assert refused.status_code in (200, 401)
    login(client, user)
    saved = client.post("/account", data={"first_name": "Jo\x00ëlle", "last_name": "N\x00",
                                          "job_title": "\x00", "phone": "", "locale": "fr",
                                          "network_function": "other", "organisation_id": "0"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:400]
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert (stored.first_name, stored.last_name, stored.job_title) == ("Joëlle", "N", "")
    assert client.get("/search?q=r%C3%A9seau%00").status_code == 200
