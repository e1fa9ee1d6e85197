"""Labels of the structured choices of a profile, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from workspace.auth.models import (
    FUNCTION_BUILDING,
    FUNCTION_DPO,
    FUNCTION_ELECTED,
    FUNCTION_IT,
    FUNCTION_OTHER,
    FUNCTION_TECH_DIRECTOR,
)

FUNCTION_LABELS = {
    FUNCTION_IT: _l("Correspondant informatique"),
    FUNCTION_TECH_DIRECTOR: _l("Directeur des services techniques"),
    FUNCTION_BUILDING: _l("Correspondant patrimoine bâti"),
    FUNCTION_DPO: _l("Délégué à la protection des données"),
    FUNCTION_ELECTED: _l("Élu"),
    FUNCTION_OTHER: _l("Autre"),
}

LANGUAGE_LABELS = {"fr": "Français", "en": "English"}


def function_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in FUNCTION_LABELS.items()]


def function_label(code: str | None) -> str:
    return str(FUNCTION_LABELS.get(code or "", FUNCTION_LABELS[FUNCTION_OTHER]))
