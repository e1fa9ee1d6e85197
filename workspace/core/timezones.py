"""Local time (Europe/Paris) in forms and pages, UTC in the database."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from workspace.core.errors import DomainError

PARIS = ZoneInfo("Europe/Paris")


def local_to_utc(naive: datetime) -> datetime:
    """A wall-clock time in Paris, as typed in a form, to UTC. A time that does not exist
    (the hour skipped in March) is refused; an ambiguous one (October) takes the first."""
    local = naive.replace(tzinfo=PARIS, fold=0)
    back = local.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None)
    if back != naive:
        raise DomainError(_("L'heure %(time)s n'existe pas ce jour-là (passage à l'heure "
                            "d'été).", time=naive.strftime("%H:%M")))
    return local.astimezone(UTC)


def utc_to_local(moment: datetime) -> datetime:
    return moment.astimezone(PARIS)


def local_naive(moment: datetime | None) -> datetime | None:
    """For pre-filling a form field: Paris wall-clock time without zone."""
    return None if moment is None else moment.astimezone(PARIS).replace(tzinfo=None)
