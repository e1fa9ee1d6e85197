"""The agenda typed as rows: reading the posted rows, and the row buttons (add, remove, move)
that edit the form on the server, so that it works without JavaScript.

Rows travel as raw strings (`agenda-<n>-title`, `-presenter`, `-duration`), exactly as typed:
a button press re-renders them untouched, mistakes included, and only "Enregistrer" checks
them. These functions know nothing of Flask or WTForms.
"""
from __future__ import annotations

from werkzeug.datastructures import MultiDict

PREFIX = "agenda"
ACTION = "agenda_action"  # the name of the row buttons
COLUMNS = ("title", "presenter", "duration")
MAX_ROWS = 60
MAX_INDEX_DIGITS = 6  # a row number longer than this is not a row the page made


def posted_rows(formdata: MultiDict) -> list[dict[str, str]]:
    """The rows in the order of their numbers; keys that are not `agenda-<n>-<column>` with
    ASCII digits are ignored (WTForms would read "agenda-²-title" with int() and fail)."""
    rows: dict[int, dict[str, str]] = {}
    for key in formdata:
        parts = key.split("-")
        if (len(parts) != 3 or parts[0] != PREFIX or parts[2] not in COLUMNS
                or not (parts[1].isascii() and parts[1].isdigit())
                or len(parts[1]) > MAX_INDEX_DIGITS):
            continue
        rows.setdefault(int(parts[1]), dict.fromkeys(COLUMNS, ""))[parts[2]] = (
            formdata.get(key) or "")
    return [rows[index] for index in sorted(rows)]


def is_blank(row: dict[str, str]) -> bool:
    return not any((row.get(column) or "").strip() for column in COLUMNS)


def apply_action(rows: list[dict[str, str]], action: str) -> tuple[list[dict[str, str]], int]:
    """The rows after a press of "add", "remove-<n>", "up-<n>" or "down-<n>" (n counted from
    0), and the row to put the focus on. An unknown action, or a row that does not exist,
    leaves the rows as they are."""
    rows = [dict(row) for row in rows]
    verb, _sep, raw = (action or "").partition("-")
    if verb == "add":
        rows.append(dict.fromkeys(COLUMNS, ""))
        return rows, len(rows) - 1
    index = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else -1
    if not 0 <= index < len(rows):
        return rows, 0
    if verb == "remove":
        del rows[index]
        if not rows:
            rows.append(dict.fromkeys(COLUMNS, ""))
        return rows, min(index, len(rows) - 1)
    target = index - 1 if verb == "up" else index + 1 if verb == "down" else index
    if 0 <= target < len(rows) and target != index:
        rows[index], rows[target] = rows[target], rows[index]
        return rows, target
    return rows, index


def with_rows(formdata: MultiDict, rows: list[dict[str, str]]) -> MultiDict:
    """A copy of the posted form whose agenda is these rows, numbered 0..n-1, and without the
    button that was pressed; every other field keeps what was typed."""
    kept = MultiDict([(key, value) for key, value in formdata.items(multi=True)
                      if key != ACTION and not key.startswith(PREFIX + "-")])
    for index, row in enumerate(rows):
        for column in COLUMNS:
            kept.add(f"{PREFIX}-{index}-{column}", row.get(column, ""))
    return kept
