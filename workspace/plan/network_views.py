"""The plan seen from a network: its actions' calendar and the network's progress report."""
from __future__ import annotations

from flask import g, render_template
from flask_babel import gettext as _

from workspace.networks.access import network_scoped_blueprint
from workspace.plan import service
from workspace.plan.pages import labels, render_report, send_report, year_choice

bp = network_scoped_blueprint("plan", __name__, url_prefix="/plan")
bp.context_processor(labels)


@bp.get("/")
def network_plan():
    actions = service.network_actions(g.network)
    first, last = service.year_range(actions)
    year, message = year_choice(first, last)
    return render_template("plan/network_plan.html", network=g.network, actions=actions,
                           year=year, year_message=message, years=range(first, last + 1),
                           objectives=service.objectives_for(actions, year))


@bp.get("/report")
def network_report():
    actions = service.network_actions(g.network)
    first, last = service.year_range(actions)
    return render_report(_report_title(), actions, first, last, {g.network.id},
                         export_endpoint="plan.network_report_export",
                         export_values={"network_slug": g.network.slug}, network=g.network)


@bp.get("/report.<any(odt, pdf, ods):fmt>")
def network_report_export(fmt: str):
    actions = service.network_actions(g.network)
    first, last = service.year_range(actions)
    return send_report(_report_title(), actions, first, last, {g.network.id}, fmt)


def _report_title() -> str:
    return _("Plan de mutualisation · %(network)s", network=g.network.name)
