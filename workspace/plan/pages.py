"""What the plan's pages share: the year asked in the query string, the progress report's
page and its downloads (for the whole plan and for one network)."""
from __future__ import annotations

from io import BytesIO

from flask import render_template, request
from flask_babel import gettext as _

from workspace.core.downloads import send_file
from workspace.exports.odf import render_odt
from workspace.exports.pdf import render_pdf
from workspace.plan import charts
from workspace.plan.exports import report_document, report_filename, report_spreadsheet
from workspace.plan.models import PlanAction
from workspace.plan.report import COMMUNE_COLUMNS, build_report, status_rows
from workspace.plan.service import (
    KIND_LABELS,
    SEMESTER_LABELS,
    STATUS_LABELS,
    default_year,
    parse_year,
)

MIMETYPES = {"pdf": "application/pdf", "odt": "application/vnd.oasis.opendocument.text",
             "ods": "application/vnd.oasis.opendocument.spreadsheet"}


def labels() -> dict:
    """Labels of semesters, kinds and statuses for the templates."""
    return {"semester_labels": SEMESTER_LABELS, "kind_labels": KIND_LABELS,
            "status_labels": STATUS_LABELS, "status_badges": STATUS_BADGES}


STATUS_BADGES = {"planned": "text-bg-secondary", "under_way": "text-bg-primary",
                 "done": "text-bg-success", "dropped": "text-bg-dark"}


def _covering(actions: list[PlanAction], year: int) -> list[PlanAction]:
    return [a for a in actions if a.plan.first_year <= year <= a.plan.last_year]


def year_choice(first: int, last: int) -> tuple[int, str]:
    """?year= within [first, last]; a bad value shows the default year and says why."""
    return parse_year(request.args.get("year"), default_year(first, last), first, last)


def render_report(title: str, actions: list[PlanAction], first: int, last: int,
                  counted: set[int], export_endpoint: str, export_values: dict, **context):
    year, message = year_choice(first, last)
    report = build_report(title, _covering(actions, year), year, counted)
    commune_names = list(report.communes)
    chart_set = {
        "status": charts.bar_chart(_("Objectifs %(year)d par état", year=year),
                                   status_rows(report.by_status), "chart-status"),
        "activity": charts.bar_chart(_("Activité des réseaux en %(year)d", year=year),
                                     report.activity.items(), "chart-activity"),
        "meetings": charts.bar_chart(
            _("Présences aux réunions par commune"),
            [(name, report.communes[name][0]) for name in commune_names], "chart-meetings"),
        "workshops": charts.bar_chart(
            _("Présences aux ateliers par commune"),
            [(name, report.communes[name][2]) for name in commune_names], "chart-workshops"),
    }
    return render_template("plan/report.html", report=report, year=year, year_message=message,
                           years=range(first, last + 1), charts=chart_set,
                           status_rows=status_rows, commune_columns=COMMUNE_COLUMNS,
                           export_endpoint=export_endpoint, export_values=export_values,
                           **context)


def send_report(title: str, actions: list[PlanAction], first: int, last: int,
                counted: set[int], fmt: str):
    """The report as ODT/PDF, or its figures as ODS; a bad ?year= gets a 400 page."""
    year, message = year_choice(first, last)
    if message:
        from workspace.core.errors import render_error

        return render_error(400, message)
    report = build_report(title, _covering(actions, year), year, counted)
    filename = report_filename(report)
    if fmt == "ods":
        data = report_spreadsheet(report)
    else:
        document = report_document(report, filename)
        data = render_pdf(document) if fmt == "pdf" else render_odt(document)
    return send_file(BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True,
                     download_name=f"{filename}.{fmt}")
