"""Reading and writing the values people type or paste from spreadsheets: amounts in euros
("1 234,56 €"), dates ("31/12/2027"), counts, and text cells that a spreadsheet would run as
formulas."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from workspace.core.errors import DomainError
from workspace.core.inputs import FIRST_YEAR, LAST_YEAR, in_product_range

MAX_CENTS = 10**13  # 100 billion euros: beyond, a typing error
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_WHOLE = re.compile(r"([0-9]+)(?:[.,]0+)?")
_THOUSANDS_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DATE_FORMATS = (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"),  # 31/12/2027
                 re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"))  # 2027-12-31 (ISO)


class InvalidValue(DomainError):
    pass


def parse_amount(text: str | None) -> int | None:
    """Euros as typed in France or pasted from a spreadsheet -> integer cents; '' -> None.

    "1 234,56", "1234.56", "1.234,56", "1 234 €" are accepted; the last of ',' and '.' is the
    decimal separator when both appear; a lone ',' is always decimal (French usage)."""
    raw = (text or "").strip()
    cleaned = _SPACES.sub("", raw.replace("€", "").replace("EUR", "").replace("eur", ""))
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    elif _THOUSANDS_DOTS.match(cleaned) and cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d*)?", cleaned):
        raise InvalidValue(_("Montant illisible : « %(value)s ». Écrivez par exemple "
                             "1 234,56.", value=raw[:40]))
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidValue(_("Montant illisible : « %(value)s ».", value=raw[:40])) from None
    if amount < 0:
        raise InvalidValue(_("Le montant ne peut pas être négatif : « %(value)s ».",
                             value=raw[:40]))
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidValue(_("Le montant a plus de deux décimales : « %(value)s ».",
                             value=raw[:40]))
    cents = int(amount * 100)
    if cents >= MAX_CENTS:
        raise InvalidValue(_("Montant trop élevé : « %(value)s ».", value=raw[:40]))
    return cents


def format_amount(cents: int | None, thousands: str = "\u202f") -> str:
    """Integer cents -> "1 234,56" (French); '' for None."""
    if cents is None:
        return ""
    euros, rest = divmod(cents, 100)
    return f"{euros:,}".replace(",", thousands) + f",{rest:02d}"


def parse_date(text: str | None) -> date | None:
    """"31/12/2027", "31.12.2027", "31-12-2027" or "2027-12-31" -> date; '' -> None."""
    raw = (text or "").strip()
    if not raw:
        return None
    raw_date = raw.split("T")[0].split(" ")[0]  # "2027-12-31 00:00:00" from a spreadsheet
    for number, pattern in enumerate(_DATE_FORMATS):
        found = pattern.match(raw_date)
        if found:
            first, month, last = (int(part) for part in found.groups())
            day, year = (first, last) if number == 0 else (last, first)
            try:
                value = date(year, month, day)
            except ValueError:
                break
            if not in_product_range(value):
                raise InvalidValue(_("Date hors de la période acceptée : « %(value)s ». Écrivez "
                                     "une date jj/mm/aaaa entre %(first)d et %(last)d.",
                                     value=raw[:40], first=FIRST_YEAR, last=LAST_YEAR))
            return value
    raise InvalidValue(_("Date invalide : « %(value)s ». Écrivez-la jj/mm/aaaa, par exemple "
                         "31/12/2027.", value=raw[:40]))


def parse_count(text: str | None, label: str, maximum: int = 1_000_000,
                default: int | None = None) -> int | None:
    """A whole number >= 0 ("1 200" accepted); '' -> default."""
    raw = (text or "").strip()
    cleaned = _SPACES.sub("", raw)
    if not cleaned:
        return default
    found = _WHOLE.fullmatch(cleaned)  # "12,0" from a spreadsheet is 12
    if found is None:
        raise InvalidValue(_("%(label)s : nombre entier attendu, pas « %(value)s ».",
                             label=label, value=raw[:40]))
    cleaned = found.group(1)
    value = int(cleaned)
    if value > maximum:
        raise InvalidValue(_("%(label)s : %(value)d dépasse le maximum (%(max)d).",
                             label=label, value=value, max=maximum))
    return value


def looks_like_formula(text: str) -> bool:
    return bool(text) and text.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """A text cell for CSV: prefixed with ' when a spreadsheet would read it as a formula."""
    return "'" + text if looks_like_formula(text) else text
