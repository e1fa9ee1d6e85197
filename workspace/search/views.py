"""The search page: GET /search?q=... for signed-in users."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workspace.core.timezones import local_to_utc
from workspace.extensions import db
from workspace.networks.models import Network
from workspace.search.query import SORTS, Filters, QueryRefused
from workspace.search.query import search as run_search
from workspace.search.registry import registrations

bp = Blueprint("search", __name__)

MAX_FACET_VALUE = 200


def _int_arg(name: str, default: int | None, low: int = 1, high: int = 10_000) -> int | None:
    value = request.args.get(name, type=int)
    return value if value is not None and low <= value <= high else default


def _text_arg(name: str) -> str | None:
    value = " ".join(request.args.get(name, "").split())
    return value[:MAX_FACET_VALUE] or None


def _date_arg(name: str, problems: list[str]) -> date | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.append(_("La date « %(value)s » n'est pas valide : choisissez un jour dans "
                          "le calendrier (AAAA-MM-JJ).", value=value[:20]))
        return None
    if not 1900 <= day.year <= 2200:
        problems.append(_("La date « %(value)s » est hors des années possibles.",
                          value=value[:20]))
        return None
    return day


def _filters(problems: list[str]) -> Filters:
    kinds = {reg.kind for reg in registrations()}
    kind = request.args.get("kind") or None
    day_from, day_to = _date_arg("from", problems), _date_arg("to", problems)
    if day_from and day_to and day_from > day_to:
        problems.append(_("La date de début est après la date de fin : les dates sont "
                          "ignorées."))
        day_from = day_to = None
    # Days in Paris: from its first instant, to the first instant of the day after.
    start = local_to_utc(datetime.combine(day_from, time())) if day_from else None
    end = local_to_utc(datetime.combine(day_to + timedelta(days=1), time())) if day_to else None
    return Filters(kind=kind if kind in kinds else None,
                   network_id=_int_arg("network", None, high=2**31 - 1),
                   commune=_text_arg("commune"), author=_text_arg("author"),
                   date_from=start, date_to=end)


@bp.get("/search")
@login_required
def search():
    text = request.args.get("q", "")
    kinds = {reg.kind: str(reg.label) for reg in registrations()}
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else SORTS[0]
    page = _int_arg("page", 1)
    problems: list[str] = []
    filters = _filters(problems)
    results, refusal = None, None
    if text.strip():
        try:
            results = run_search(current_user, text, filters, sort=sort, page=page)
        except QueryRefused as error:
            refusal = str(error)
    networks = {}
    if results is not None and results.networks:
        networks = {n.id: n for n in db.session.scalars(
            db.select(Network).where(Network.id.in_(results.networks)))}
    return render_template("search/search.html", text=text[:1000], kinds=kinds,
                           filters=filters, sort=sort, results=results, refusal=refusal,
                           problems=problems, networks=networks,
                           date_from=request.args.get("from", "")[:10] if not problems else "",
                           date_to=request.args.get("to", "")[:10] if not problems else "")
