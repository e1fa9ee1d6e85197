"""Amounts, dates and counts as people type them, and cells a spreadsheet would run."""
from __future__ import annotations

from datetime import date

import pytest

from workspace.inventory.values import (
    InvalidValue,
    format_amount,
    neutralise,
    parse_amount,
    parse_count,
    parse_date,
)


@pytest.mark.parametrize(("text", "cents"), [
    ("1 234,56", 123456), ("1\u00a0234,56 €", 123456), ("1\u202f234,56", 123456),
    ("1234.56", 123456), ("1.234,56", 123456), ("1,234.56", 123456), ("1234", 123400),
    ("0,5", 50), ("12,", 1200), ("1.234.567", 123456700), ("1 234 567,89 EUR", 123456789),
    ("", None), ("   ", None), (None, None)])
def test_amounts_in_french_and_spreadsheet_forms(app, text, cents):
    assert parse_amount(text) == cents


@pytest.mark.parametrize(("text", "message"), [
    ("douze", "Montant illisible"), ("12,345", "plus de deux décimales"),
    ("1.234", "plus de deux décimales"), ("-5", "négatif"), ("1e6", "Montant illisible"),
    ("=1+1", "Montant illisible"), ("99999999999999", "trop élevé"), ("NaN", "illisible")])
def test_wrong_amounts_say_why(app, text, message):
    with pytest.raises(InvalidValue) as error:
        parse_amount(text)
    assert message in error.value.message


def test_amounts_are_never_floats(app):
    assert parse_amount("0,10") + parse_amount("0,20") == 30  # 0.1 + 0.2 in floats is not 0.3
    assert format_amount(123456, " ") == "1 234,56"
    assert format_amount(5) == "0,05"


@pytest.mark.parametrize(("text", "value"), [
    ("31/12/2027", date(2027, 12, 31)), ("1/2/2027", date(2027, 2, 1)),
    ("31.12.2027", date(2027, 12, 31)), ("31-12-2027", date(2027, 12, 31)),
    ("2027-12-31", date(2027, 12, 31)), ("2027-12-31T00:00:00", date(2027, 12, 31)),
    ("", None)])
def test_dates(app, text, value):
    assert parse_date(text) == value


@pytest.mark.parametrize("text", ["31/02/2027", "12/31/2027", "2027", "demain", "31/12/27",
                                  "01/01/1800"])
def test_wrong_dates_say_how_to_write_them(app, text):
    with pytest.raises(InvalidValue) as error:
        parse_date(text)
    assert "jj/mm/aaaa" in error.value.message


def test_counts(app):
    assert parse_count("1 200", "Licences") == 1200
    assert parse_count("12,0", "Licences") == 12
    assert parse_count("", "Licences", default=1) == 1
    with pytest.raises(InvalidValue, match="nombre entier"):
        parse_count("2,5", "Licences")
    with pytest.raises(InvalidValue, match="maximum"):
        parse_count("200", "Préavis (mois)", maximum=120)
    with pytest.raises(InvalidValue, match="nombre entier"):
        parse_count("٣", "Licences")  # an Arabic-Indic digit is not for int()


@pytest.mark.parametrize("text", ["=SUM(A1)", "+33 2 43", "-2+3", "@cmd", "\tx", "\rx"])
def test_formula_cells_are_neutralised_for_csv(text):
    assert neutralise(text) == "'" + text


def test_ordinary_text_is_kept():
    assert neutralise("Orange") == "Orange"
    assert neutralise("") == ""
