"""The search page: GET /search?q=... for signed-in users."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from workspace.extensions import db
from workspace.networks.models import Network
from workspace.search.query import SORTS, QueryRefused, search as run_search
from workspace.search.registry import registrations

bp = Blueprint("search", __name__)


def _int_arg(name: str, default: int | None, low: int = 1, high: int = 10_000) -> int | None:
    value = request.args.get(name, type=int)
    return value if value is not None and low <= value <= high else default


@bp.get("/search")
@login_required
def search():
    text = request.args.get("q", "")
    kind = request.args.get("kind") or None
    kinds = {reg.kind: str(reg.label) for reg in registrations()}
    kind = kind if kind in kinds else None
    network_id = _int_arg("network", None, high=2**31 - 1)
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else SORTS[0]
    page = _int_arg("page", 1)
    results, refusal = None, None
    if text.strip():
        try:
            results = run_search(current_user, text, kind=kind, network_id=network_id,
                                 sort=sort, page=page)
        except QueryRefused as error:
            refusal = str(error)
    networks = {}
    if results is not None and results.networks:
        networks = {n.id: n for n in db.session.scalars(
            db.select(Network).where(Network.id.in_(results.networks)))}
    return render_template("search/search.html", text=text[:1000], kind=kind, kinds=kinds,
                           network_id=network_id, sort=sort, results=results,
                           refusal=refusal, networks=networks)
