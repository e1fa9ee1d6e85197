"""The progress report: its figures equal what was created, in the report itself, the page
(tables and charts), the ODT, the PDF and the spreadsheet; a constant number of queries."""
from __future__ import annotations

import io
import re

from odf import teletype
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from odf.text import H
from pypdf import PdfReader
from sqlalchemy import event

from tests.plan.conftest import COMMUNES_2017, EXPECTED_2017
from workspace.extensions import db
from workspace.plan import service
from workspace.plan.report import ACTIVITY_LABELS, build_report, network_activity


def test_network_activity_counts_exactly_the_year(plan_world, activity_2017):
    w = plan_world
    figures = network_activity({w.network.id, w.other.id}, 2017)
    assert vars(figures[w.network.id]) == EXPECTED_2017
    assert figures[w.other.id].meetings_held == 1
    assert figures[w.other.id].meeting_attendances == 1
    assert vars(network_activity({w.network.id}, 2016)[w.network.id])["meetings_held"] == 1


def test_report_per_action(plan_world, activity_2017):
    w = plan_world
    report = build_report("Plan", [w.action, w.other_action, w.open_action], 2017,
                          {w.network.id})  # the reader sees only the IT network
    first, second, third = report.actions
    assert first.by_status == {"planned": 1, "under_way": 1, "done": 1, "dropped": 0}
    assert vars(first.activity) == EXPECTED_2017
    assert first.communes == COMMUNES_2017
    assert second.networks == [] and second.activity.meetings_held == 0
    assert third.objectives == [] and third.networks == []
    assert vars(report.activity) == EXPECTED_2017
    assert report.by_status == {"planned": 2, "under_way": 1, "done": 1, "dropped": 0}


def _count_queries(app, callback) -> int:
    statements = []

    def record(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        callback()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_report_queries_do_not_grow_with_actions(app, plan_world, activity_2017):
    w = plan_world
    ids = {w.network.id, w.other.id}
    first = [a for a in service.visible_actions(w.admin, w.plan) if a.number == 1]
    one = _count_queries(app, lambda: build_report("P", first, 2017, ids))
    for number in range(4, 12):
        service.save_action(w.admin, w.plan, None, number, f"Action {number}", "",
                            [w.network, w.other])
    db.session.commit()
    actions = service.visible_actions(w.admin, w.plan)
    many = _count_queries(app, lambda: build_report("P", actions, 2017, ids))
    assert many == one == 16  # objectives, 12 figures, 3 per-commune


def test_report_page_tables_and_charts(client, login, plan_world, activity_2017):
    w = plan_world
    login(client, w.coordinator)
    response = client.get(f"/n/{w.network.slug}/plan/report?year=2017")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for name, value in EXPECTED_2017.items():
        label = str(ACTIVITY_LABELS[name]).replace("'", "&#39;")
        assert re.search(rf'data-label="{re.escape(label)}" data-value="{value}"', html), name
        assert re.search(rf">{re.escape(label)}</th><td class=\"text-end\">{value}</td>",
                         html), name
    assert 'role="img"' in html and "<title id=\"chart-status-title\">" in html
    assert 'data-label="Réalisé" data-value="1"' in html
    assert re.search(r'>Coulaines</th><td class="text-end">2</td><td class="text-end">2</td>'
                     r'<td class="text-end">2</td>', html)
    assert "Cellule AMO" not in html  # the other network's action is not on this page


def _odf_tables(document) -> dict[str, list[list[str]]]:
    tables = {}
    for table in document.getElementsByType(Table):
        rows = []
        for row in table.getElementsByType(TableRow):
            rows.append([teletype.extractText(cell) for cell in row.getElementsByType(TableCell)])
        tables[table.getAttribute("name")] = rows
    return tables


def test_exports_carry_the_same_figures(client, login, plan_world, activity_2017):
    w = plan_world
    login(client, w.coordinator)
    base = f"/n/{w.network.slug}/plan/report"
    odt = client.get(f"{base}.odt?year=2017")
    assert odt.status_code == 200 and odt.mimetype == "application/vnd.oasis.opendocument.text"
    document = load(io.BytesIO(odt.data))
    headings = [teletype.extractText(h) for h in document.getElementsByType(H)]
    assert "Synthèse 2017" in headings
    assert "Action prioritaire 1 : Partager les systèmes d'information" in headings
    rows = [row for table in _odf_tables(document).values() for row in table]
    for name, value in EXPECTED_2017.items():
        assert [str(ACTIVITY_LABELS[name]), str(value)] in rows
    assert ["Coulaines", "2", "2", "2"] in rows
    assert ["1", "Présenter la messagerie Zimbra", "1er semestre", "Information ou formation",
            "Réalisé", ""] in rows

    pdf = client.get(f"{base}.pdf?year=2017")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Synthèse 2017" in text and "Présenter la messagerie Zimbra" in text
    assert re.search(r"Messages de forum\s+5", text)
    assert re.search(r"Présences aux réunions\s+4", text)

    ods = client.get(f"{base}.ods?year=2017")
    assert ods.status_code == 200
    sheets = _odf_tables(load(io.BytesIO(ods.data)))
    assert list(sheets) == ["Synthèse 2017", "Objectifs", "Activité par action", "Communes"]
    summary = {row[0]: row[1] for row in sheets["Synthèse 2017"][1:]}
    for name, value in EXPECTED_2017.items():
        assert summary[str(ACTIVITY_LABELS[name])] == str(value)
    assert summary["Réalisé"] == "1" and summary["En cours"] == "1"
    assert sheets["Communes"][1:] == [[name] + [str(v) for v in values]
                                      for name, values in COMMUNES_2017.items()]
    assert len(sheets["Objectifs"]) == 4


def test_spreadsheet_text_never_becomes_a_formula(client, login, plan_world):
    w = plan_world
    service.save_objective(w.coordinator, w.action, w.objectives[0], service.ObjectiveData(
        title='=HYPERLINK("http://evil.example";"clic")', year=2017, semester="s1",
        kind="information", status="done", progress_note="+33 6 00 00 00 00"))
    service.save_objective(w.coordinator, w.action, w.objectives[1], service.ObjectiveData(
        title="@SUM(A1:A2)", year=2017, semester="s2", kind="other", status="planned",
        progress_note="-1"))
    db.session.commit()
    login(client, w.coordinator)
    ods = client.get(f"/n/{w.network.slug}/plan/report.ods?year=2017")
    document = load(io.BytesIO(ods.data))
    cells = document.getElementsByType(TableCell)
    assert not [c for c in cells if c.getAttribute("formula")]
    texts = {teletype.extractText(c): c.getAttribute("valuetype") for c in cells}
    for text in ('=HYPERLINK("http://evil.example";"clic")', "+33 6 00 00 00 00",
                 "@SUM(A1:A2)", "-1"):
        assert texts[text] == "string"


def test_whole_plan_report_shows_only_visible_actions(client, login, plan_world,
                                                      activity_2017):
    w = plan_world
    login(client, w.outsider)
    html = client.get(f"/plan/{w.plan.id}/report?year=2017").get_data(as_text=True)
    assert "Cellule AMO" in html and "Culture" in html
    assert "Présenter la messagerie Zimbra" not in html
    assert "Partager les systèmes d&#39;information" not in html
    assert 'data-label="Présences aux réunions" data-value="1"' in html  # the building's own
    pdf = client.get(f"/plan/{w.plan.id}/report.pdf?year=2017")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Zimbra" not in text and "Cellule AMO" in text


def test_bad_years_in_the_report(client, login, plan_world):
    w = plan_world
    login(client, w.coordinator)
    for value, message in (("abc", "« abc » n'est pas une année"),
                           ("99999", "n'est pas une année"),
                           ("1990", "Choisissez une année entre 2014 et 2020")):
        response = client.get(f"/n/{w.network.slug}/plan/report?year={value}")
        assert response.status_code == 200
        assert message in response.get_data(as_text=True).replace("&#39;", "'")
        export = client.get(f"/plan/{w.plan.id}/report.ods?year={value}")
        assert export.status_code == 400
        assert message in export.get_data(as_text=True).replace("&#39;", "'")
