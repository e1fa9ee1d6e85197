"""Agenda and minutes of a meeting, as PDF and ODT: readable text with its accents, headings
and tables; for the network's members only."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from odf import teletype
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from odf.text import H
from pypdf import PdfReader

from tests.calendar.helpers import TITLE, answer, make_meeting
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.meetings import service as meetings

AGENDA = [("Migration de la messagerie Zimbra", "Alice Martin", 30),
          ("Renouvellement des pare-feux", "Bob Durand", 45),
          ("Questions diverses", "", None)]
MINUTES = """# Messagerie

La migration est **terminée** à Coulaines ; reste Sargé-lès-Le Mans.

## Suites

- Relancer l'éditeur
- Prévoir une formation
  1. pour les agents
  2. pour les élus
"""


def url(network, meeting, name: str) -> str:
    return f"/n/{network.slug}/exports/meetings/{meeting.id}/{name}"


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def odf_document(data: bytes):
    return load(io.BytesIO(data))


def headings(document) -> list[str]:
    return [teletype.extractText(heading) for heading in document.getElementsByType(H)]


def table_rows(document) -> list[list[str]]:
    return [[teletype.extractText(cell) for cell in row.getElementsByType(TableCell)]
            for table in document.getElementsByType(Table)
            for row in table.getElementsByType(TableRow)]


@pytest.fixture
def meeting(people):
    """A meeting with an agenda, and an action of an earlier meeting still open."""
    earlier = make_meeting(people.coordinator, people.network, title="Réunion de janvier",
                           starts_at=utcnow() - timedelta(days=60))
    meetings.add_action(people.coordinator, people.network, earlier,
                        "Recenser les licences Office", owner_organisation=people.coulaines,
                        due_on=date(2026, 2, 15))
    db.session.commit()
    return make_meeting(people.coordinator, people.network, agenda=AGENDA,
                        starts_at=utcnow() + timedelta(days=7),
                        video_url="https://visio.lemansmetropole.fr/reseau-info")


def test_agenda_pdf_keeps_the_accents(people, signed_in, meeting):
    response = signed_in(people.alice).get(url(people.network, meeting, "agenda.pdf"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "ordre-du-jour-reunion-du-reseau-informatique-a-coulaines-" in \
        response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert TITLE in text
    assert "Migration de la messagerie Zimbra" in text and "Alice Martin" in text
    assert "45 min" in text
    assert "https://visio.lemansmetropole.fr/reseau-info" in text
    assert "Recenser les licences Office" in text and "Coulaines" in text  # carried over


def test_pdf_without_dejavu_falls_back_to_latin1_helvetica(people, signed_in, meeting, app,
                                                            tmp_path):
    app.config["EXPORTS_FONT_DIR"] = str(tmp_path / "no-fonts")
    response = signed_in(people.alice).get(url(people.network, meeting, "agenda.pdf"))
    text = pdf_text(response.data)
    assert TITLE in text  # é and à are Latin-1
    assert b"DejaVu" not in response.data and b"Helvetica" in response.data


def test_agenda_odt_has_headings_and_the_agenda_table(people, signed_in, meeting):
    response = signed_in(people.coordinator).get(url(people.network, meeting, "agenda.odt"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/vnd.oasis.opendocument.text"
    document = odf_document(response.data)
    assert headings(document) == [TITLE, "Ordre du jour", "Actions en cours (reportées)"]
    rows = table_rows(document)
    assert ["N°", "Point", "Présenté par", "Durée"] in rows
    assert ["1", "Migration de la messagerie Zimbra", "Alice Martin", "30 min"] in rows
    assert ["3", "Questions diverses", "", ""] in rows
    assert ["Recenser les licences Office", "Coulaines", "15/02/2026"] in rows


def test_minutes_with_attendance_by_commune_decisions_and_actions(people, signed_in,
                                                                  meeting):
    answer(people.alice, meeting, "yes")
    meetings.record_attendance(people.coordinator, meeting, {people.alice.id, people.bob.id})
    meetings.save_minutes(people.alice, meeting, MINUTES)
    meetings.add_decision(people.coordinator, meeting, "Adopter Zimbra 10 pour toutes les "
                                                       "communes.")
    meetings.add_action(people.coordinator, people.network, meeting, "Écrire à l'éditeur",
                        owner_user=people.bob, due_on=date(2026, 12, 18))
    db.session.commit()
    client = signed_in(people.bob)

    document = odf_document(client.get(url(people.network, meeting, "minutes.odt")).data)
    assert headings(document) == [TITLE, "Présences", "Compte rendu", "Messagerie", "Suites",
                                  "Décisions", "Actions"]
    text = teletype.extractText(document.text)
    assert "La migration est terminée à Coulaines ; reste Sargé-lès-Le Mans." in text
    assert "Relancer l'éditeur" in text and "pour les élus" in text
    assert "Adopter Zimbra 10 pour toutes les communes." in text
    rows = table_rows(document)
    assert ["Coulaines", "Alice Martin", "Chloé Lefèvre"] in rows
    assert ["Le Mans", "Bob Durand", ""] in rows
    assert ["Écrire à l'éditeur", "Bob Durand", "18/12/2026", "en cours"] in rows

    text = pdf_text(client.get(url(people.network, meeting, "minutes.pdf")).data)
    assert TITLE in text and "Messagerie" in text and "Sargé-lès-Le Mans" in text
    assert "Adopter Zimbra 10" in text and "Écrire à l'éditeur" in text


def test_minutes_before_attendance_is_recorded(people, signed_in, meeting):
    document = odf_document(signed_in(people.alice).get(
        url(people.network, meeting, "minutes.odt")).data)
    text = teletype.extractText(document.text)
    assert "Les présences n'ont pas été relevées." in text
    assert "Le compte rendu est vide." in text


@pytest.mark.parametrize("name", ["agenda.docx", "budget.pdf", "minutes.ods", "agenda"])
def test_unknown_kind_or_format_is_404(people, signed_in, meeting, name):
    assert signed_in(people.alice).get(url(people.network, meeting, name)).status_code == 404


def test_only_members_take_documents_away(people, signed_in, meeting, make_user,
                                          make_network, client):
    assert signed_in(people.outsider).get(
        url(people.network, meeting, "agenda.pdf")).status_code == 404
    # the outsider's own network does not hold this meeting
    assert signed_in(people.outsider).get(
        url(people.other, meeting, "agenda.pdf")).status_code == 404
    assert signed_in(people.alice).get(
        url(people.other, meeting, "agenda.pdf")).status_code == 404
    admin = make_user(is_admin=True)
    assert signed_in(admin).get(url(people.network, meeting, "agenda.odt")).status_code == 200
    response = client.get(url(people.network, meeting, "agenda.pdf"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_open_network_readers_who_are_not_members_get_403(people, signed_in, make_network):
    open_network = make_network("Réseau voirie", is_private=False,
                                coordinators=[people.coordinator])
    meeting = make_meeting(people.coordinator, open_network)
    assert signed_in(people.outsider).get(
        url(open_network, meeting, "agenda.pdf")).status_code == 403
    assert signed_in(people.coordinator).get(
        url(open_network, meeting, "agenda.pdf")).status_code == 200
