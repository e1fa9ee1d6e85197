"""The progress report as a document (ODT and PDF through workspace.exports) and its figures
as a spreadsheet of several sheets. Every text cell is written as a string cell: a title that
starts with =, +, - or @ stays text and never becomes a formula."""
from __future__ import annotations

from io import BytesIO

from flask_babel import gettext as _
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TextProperties
from odf.table import Table as OdfTable
from odf.table import TableCell, TableRow
from odf.text import P
from slugify import slugify

from workspace.exports.blocks import Document, Heading, Paragraph, Table
from workspace.plan.report import COMMUNE_COLUMNS, ActionReport, Report, status_rows
from workspace.plan.service import KIND_LABELS, SEMESTER_LABELS, STATUS_LABELS


def action_heading(item: ActionReport) -> str:
    return _("Action prioritaire %(number)d : %(title)s", number=item.action.number,
             title=item.action.title)


def objective_rows(item: ActionReport) -> list[list[str]]:
    return [[str(o.number), o.title, str(SEMESTER_LABELS[o.semester]), str(KIND_LABELS[o.kind]),
             str(STATUS_LABELS[o.status]), o.progress_note] for o in item.objectives]


def objective_header() -> list[str]:
    return [_("N°"), _("Objectif"), _("Calendrier"), _("Type"), _("État"), _("Avancement")]


def commune_header() -> list[str]:
    return [_("Commune")] + [str(label) for label in COMMUNE_COLUMNS]


def _figures(title: str, rows: list[tuple[str, int]]) -> Table:
    return Table(header=[title, _("Nombre")], rows=[[label, str(value)] for label, value in rows],
                 widths=[3, 1])


def _communes(communes: dict[str, list[int]]) -> Table:
    return Table(header=commune_header(),
                 rows=[[name] + [str(v) for v in values] for name, values in communes.items()],
                 widths=[2.2, 1, 1, 1])


def report_document(report: Report, filename: str) -> Document:
    blocks = [Heading(report.title, 1),
              Paragraph(_("État d'avancement %(year)d", year=report.year), "meta"),
              Heading(_("Synthèse %(year)d", year=report.year), 2),
              _figures(_("Objectifs par état"), status_rows(report.by_status)),
              _figures(_("Activité des réseaux"), report.activity.items())]
    if report.communes:
        blocks.append(_communes(report.communes))
    for item in report.actions:
        blocks.append(Heading(action_heading(item), 2))
        names = ", ".join(n.name for n in item.action.networks) or _("aucun réseau")
        blocks.append(Paragraph(_("Réseaux : %(names)s", names=names), "meta"))
        blocks.append(Heading(_("Objectifs %(year)d", year=report.year), 3))
        if item.objectives:
            blocks.append(Table(header=objective_header(), rows=objective_rows(item),
                                widths=[0.4, 3, 1.1, 1.3, 0.9, 2]))
        else:
            blocks.append(Paragraph(_("Aucun objectif pour cette année.")))
        blocks.append(Heading(_("Activité des réseaux de l'action"), 3))
        blocks.append(_figures(_("Indicateur"), item.activity.items()))
        if item.communes:
            blocks.append(_communes(item.communes))
    return Document(title=report.title, filename=filename, blocks=blocks,
                    subject=_("État d'avancement %(year)d", year=report.year))


def report_filename(report: Report) -> str:
    return slugify(f"etat-avancement-{report.year}-{report.title}")[:80]


# --- the figures as a spreadsheet ------------------------------------------------------------

def _cell(value, bold: Style | None = None) -> TableCell:
    if isinstance(value, int):
        cell = TableCell(valuetype="float", value=value)
    else:
        cell = TableCell(valuetype="string", stylename=bold) if bold else \
            TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


def _sheet(name: str, header: list[str], rows: list[list], bold: Style) -> OdfTable:
    sheet = OdfTable(name=name[:31])
    row = TableRow()
    for text in header:
        row.addElement(_cell(text, bold))
    sheet.addElement(row)
    for values in rows:
        row = TableRow()
        for value in values:
            row.addElement(_cell(value))
        sheet.addElement(row)
    return sheet


def report_spreadsheet(report: Report) -> bytes:
    """Sheets: summary, objectives, activity per action, participation per commune."""
    from odf.dc import Title

    doc = OpenDocumentSpreadsheet()
    doc.meta.addElement(Title(text=report.title))
    bold = Style(name="Bold", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    summary = [[label, value] for label, value in status_rows(report.by_status)]
    summary += [[label, value] for label, value in report.activity.items()]
    doc.spreadsheet.addElement(_sheet(_("Synthèse %(year)d", year=report.year),
                                      [_("Indicateur"), _("Nombre")], summary, bold))
    objectives = [[item.action.number, item.action.title, o.number, o.title,
                   str(SEMESTER_LABELS[o.semester]), str(KIND_LABELS[o.kind]),
                   str(STATUS_LABELS[o.status]), o.progress_note]
                  for item in report.actions for o in item.objectives]
    doc.spreadsheet.addElement(_sheet(_("Objectifs"), [
        _("Action"), _("Intitulé de l'action"), _("N°"), _("Objectif"), _("Calendrier"),
        _("Type"), _("État"), _("Avancement")], objectives, bold))
    labels = [label for label, _value in report.actions[0].activity.items()] \
        if report.actions else []
    activity = [[item.action.number, item.action.title]
                + [value for _label, value in item.activity.items()] for item in report.actions]
    doc.spreadsheet.addElement(_sheet(_("Activité par action"),
                                      [_("Action"), _("Intitulé de l'action")] + labels,
                                      activity, bold))
    communes = [[name] + values for name, values in report.communes.items()]
    doc.spreadsheet.addElement(_sheet(_("Communes"), commune_header(), communes, bold))
    buffer = BytesIO()
    doc.write(buffer)
    return buffer.getvalue()
