"""The one way to read numbers, ids and dates from URLs, query strings and forms.

Every value is bounded to what the database and the calendar accept: an id is 1..2**31 - 1
(a 32-bit column; a larger value would overflow the database driver), a page 1..PAGE_MAX, a
date's year FIRST_YEAR..LAST_YEAR (the product's range: meetings, workshops, contracts, plans,
filters; a calendar feed computes years past the last event). An id that cannot exist is "not
found" (404) in a URL, a query string or a posted value; a page number or a setting of the
page that makes no sense gives its default; a form field says what is wrong in French.

- URL paths: `<int:...>` is `BoundedIntConverter` (registered in `workspace.core`).
- Query strings and raw form values: `query_id`, `form_id`, `form_ids`, `query_page`,
  `query_int`, `query_date`, `form_datetime`.
- WTForms: `IdField`, `BoundedIntegerField`, `ProductDateField`, `ProductDateTimeField`.
- Text: `WorkspaceRequest` (the application's request class) drops NUL characters from every
  query-string and form name and value, before any view or form reads them.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import abort, request
from flask.wrappers import Request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter
from wtforms import DateField, DateTimeLocalField, IntegerField
from wtforms.validators import StopValidation, ValidationError

ID_MAX = 2**31 - 1  # a 32-bit integer column
PAGE_MAX = 10_000
FIRST_YEAR, LAST_YEAR = 2000, 2100  # every date of the product, and every ?year=
_MAX_DIGITS = 12  # longer text is never a bounded number: no int() of a megabyte of digits

INVALID_DATE = _l("Date invalide.")
INVALID_DATETIME = _l("Date ou heure invalide.")
DATE_RANGE = _l("Choisissez une date entre %(first)d et %(last)d.", first=FIRST_YEAR,
                last=LAST_YEAR)


def _without_nul(pairs):
    for key, value in pairs:
        yield (key.replace("\x00", "") if isinstance(key, str) else key,
               value.replace("\x00", "") if isinstance(value, str) else value)


class TextValues(ImmutableMultiDict):
    """Query-string and form values without NUL characters. No browser puts one in text, and
    PostgreSQL refuses it in a text column: a login, a title or a search carrying `%00` would
    end in a 500 there (SQLite stores it). Uploaded files are untouched."""

    def __init__(self, mapping=None):
        if isinstance(mapping, MultiDict):
            mapping = mapping.items(multi=True)
        elif isinstance(mapping, dict):
            mapping = mapping.items()
        super().__init__(list(_without_nul(mapping or ())))


class WorkspaceRequest(Request):
    """The application's request class (features may extend it: documents streams uploads)."""

    parameter_storage_class = TextValues


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in URLs, at most ID_MAX: a larger id cannot exist, and would overflow the
    database driver (a 500) instead of answering 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=ID_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_int(raw: str | None, low: int, high: int) -> int | None:
    """A whole number written in ASCII digits (a sign when low < 0), within [low, high];
    None for anything else (empty, words, '²', '1e3', out of range)."""
    text = (raw or "").strip()
    digits = text[1:] if text[:1] in "+-" and low < 0 else text
    if not (digits.isascii() and digits.isdigit() and len(digits) <= _MAX_DIGITS):
        return None
    value = int(text)
    return value if low <= value <= high else None


def in_product_range(value: date | datetime) -> bool:
    return FIRST_YEAR <= value.year <= LAST_YEAR


def parse_date(raw: str | None) -> date | None:
    """An ISO date (2030-01-31) within the product's years, or None."""
    try:
        value = date.fromisoformat((raw or "").strip()[:10])
    except ValueError:
        return None
    return value if in_product_range(value) else None


def parse_datetime(raw: str | None) -> datetime | None:
    """An ISO date and time within the product's years, or None."""
    try:
        value = datetime.fromisoformat((raw or "").strip()[:40])
    except ValueError:
        return None
    return value if in_product_range(value) else None


# --- query strings and raw form values -------------------------------------------------------

def _present(values: MultiDict, name: str) -> str | None:
    raw = values.get(name)
    return raw if raw is not None and raw.strip() else None


def _id_or_404(values: MultiDict, name: str) -> int | None:
    raw = _present(values, name)
    if raw is None or raw.strip() == "0":  # 0: the "none" choice of a select (the root)
        return None
    value = parse_int(raw, 1, ID_MAX)
    if value is None:
        abort(404)  # no object has this id
    return value


def query_id(name: str) -> int | None:
    """?name=<id>: None when absent, empty or 0; 404 when not an id that can exist."""
    return _id_or_404(request.args, name)


def form_id(name: str) -> int | None:
    """A posted id: None when absent, empty or 0; 404 when not an id that can exist."""
    return _id_or_404(request.form, name)


def form_ids(name: str) -> set[int]:
    """Every posted value of a repeated id field (checkboxes); values that cannot be ids are
    left out, as an unknown id would be."""
    return {value for raw in request.form.getlist(name)
            if (value := parse_int(raw, 1, ID_MAX)) is not None}


def query_page(name: str = "page", error_out: bool = True) -> int:
    """?page=: 1 when absent or empty. A value that is not a page number (1..PAGE_MAX) is
    treated as a page past the last, as `db.paginate(error_out=...)` treats it: 404, or
    page 1 for lists that pass error_out=False to both."""
    raw = _present(request.args, name)
    if raw is None:
        return 1
    value = parse_int(raw, 1, PAGE_MAX)
    if value is None and error_out:
        abort(404)
    return value or 1


def query_int(name: str, default: int, low: int, high: int) -> int:
    """A setting of the page (?months=6): the default when absent or not within [low, high]."""
    value = parse_int(request.args.get(name), low, high)
    return default if value is None else value


def query_date(name: str) -> date | None:
    """?name=2030-01-31 within the product's years, else None."""
    return parse_date(request.args.get(name))


def form_datetime(name: str) -> datetime | None:
    """A posted ISO date and time within the product's years, else None."""
    return parse_datetime(request.form.get(name))


# --- WTForms ---------------------------------------------------------------------------------

class BoundedIntegerField(IntegerField):
    """A whole number within [minimum, maximum]; empty is "no value" (validators decide
    whether one is required); anything else is refused with a French message."""

    def __init__(self, label=None, validators=None, minimum: int = 0, maximum: int = ID_MAX,
                 message=None, invalid=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum
        self.range_message = message or _l("Entre %(min)d et %(max)d.", min=minimum,
                                           max=maximum)
        self.invalid_message = invalid

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        raw = str(valuelist[0]).strip()
        self.data = parse_int(raw, self.minimum, self.maximum)
        if self.data is None:
            digits = raw.lstrip("+-")
            is_number = digits.isascii() and digits.isdigit()
            if is_number:
                raise ValueError(str(self.range_message))
            if self.invalid_message:
                raise ValueError(str(self.invalid_message))
            super().process_formdata([raw])  # WTForms' own "N'est pas un entier valide."
            self.data = None  # int() read what isdigit() refused ("١٢"): not ours to take
            raise ValueError(str(self.range_message))


class IdField(BoundedIntegerField):
    """The number of an object (an account, a folder): 1..ID_MAX."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("message", _l("Ce numéro n'existe pas."))
        super().__init__(label, validators, minimum=1, maximum=ID_MAX, **kwargs)


class ProductYears:
    """A date within the product's years (FIRST_YEAR..LAST_YEAR)."""

    def __call__(self, form, field):
        if field.data is not None and not in_product_range(field.data):
            raise StopValidation(str(DATE_RANGE))


class _EmptyIsNone:
    """Blank input is "no value" (Optional/DataRequired decide); anything unreadable keeps the
    field's French invalid message; the product's years are always checked."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, [*(validators or []), ProductYears()], **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        super().process_formdata([str(value).strip()[:40] for value in valuelist])


class ProductDateField(_EmptyIsNone, DateField):
    """A date (AAAA-MM-JJ) within the product's years."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_value_message", INVALID_DATE)
        super().__init__(label, validators, **kwargs)


class ProductDateTimeField(_EmptyIsNone, DateTimeLocalField):
    """A date and time typed in a browser's datetime-local input, within the product's years."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])
        kwargs.setdefault("invalid_value_message", INVALID_DATETIME)
        super().__init__(label, validators, **kwargs)


def check_product_date(value: date | datetime | None) -> None:
    """For dates that come from elsewhere than a form field (an import, an API)."""
    if value is not None and not in_product_range(value):
        raise ValidationError(str(DATE_RANGE))
