"""The attendance sheet of a workshop: every confirmed person, nobody from the waiting list."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from odf import teletype
from odf.opendocument import load
from odf.table import TableCell, TableRow
from pypdf import PdfReader

from tests.calendar.helpers import make_workshop, register
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.networks.models import Membership
from workspace.workshops.models import CONFIRMED, WAITING


def url(network, workshop, fmt: str) -> str:
    return f"/n/{network.slug}/exports/workshops/{workshop.id}/sheet.{fmt}"


@pytest.fixture
def workshop(people, make_user):
    """Three seats: Alice, Chloé and Zoé confirmed; Bob and Yann waiting."""
    workshop = make_workshop(people.coordinator, people.network, capacity=3,
                             title="Atelier sécurité des postes",
                             starts_at=utcnow() + timedelta(days=12))
    zoe = make_user(first_name="Zoé", last_name="Bérard", organisation_id=people.le_mans.id)
    yann = make_user(first_name="Yann", last_name="Attente")
    db.session.add_all([Membership(network_id=people.network.id, user_id=zoe.id),
                        Membership(network_id=people.network.id, user_id=yann.id)])
    db.session.commit()
    for user in (people.alice, people.chloe, zoe):
        assert register(user, workshop).status == CONFIRMED
    for user in (people.bob, yann):
        assert register(user, workshop).status == WAITING
    return workshop


def sheet_rows(data: bytes) -> list[list[str]]:
    document = load(io.BytesIO(data))
    return [[teletype.extractText(cell) for cell in row.getElementsByType(TableCell)]
            for row in document.spreadsheet.getElementsByType(TableRow)]


def test_ods_sheet_lists_confirmed_people_only(people, signed_in, workshop):
    response = signed_in(people.coordinator).get(url(people.network, workshop, "ods"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == \
        "application/vnd.oasis.opendocument.spreadsheet"
    assert "emargement-atelier-securite-des-postes-" in response.headers["Content-Disposition"]
    rows = sheet_rows(response.data)
    assert rows[0] == ["Atelier sécurité des postes"]
    assert ["Nom", "Commune", "Présence", "Signature"] in rows
    people_rows = rows[rows.index(["Nom", "Commune", "Présence", "Signature"]) + 1:]
    names = [row[0] for row in people_rows if len(row) == 4]
    assert names == ["Zoé Bérard", "Chloé Lefèvre", "Alice Martin"]  # by last name
    assert ["Alice Martin", "Coulaines", "", ""] in people_rows
    text = " ".join(" ".join(row) for row in rows)
    assert "Bob Durand" not in text and "Yann Attente" not in text
    assert "Le Mans, Hôtel de Ville" in text


def test_pdf_sheet_lists_confirmed_people_only(people, signed_in, workshop):
    response = signed_in(people.alice).get(url(people.network, workshop, "pdf"))
    assert response.data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Atelier sécurité des postes" in text and "Feuille d’émargement" in text
    for name in ("Alice Martin", "Chloé Lefèvre", "Zoé Bérard"):
        assert name in text
    assert "Bob Durand" not in text and "Yann Attente" not in text
    assert "3 personnes inscrites." in text


@pytest.mark.parametrize("fmt", ["odt", "xlsx", "csv"])
def test_other_formats_are_404(people, signed_in, workshop, fmt):
    assert signed_in(people.alice).get(url(people.network, workshop, fmt)).status_code == 404


def test_sheet_is_404_outside_the_network(people, signed_in, workshop):
    assert signed_in(people.outsider).get(url(people.network, workshop, "ods")).status_code \
        == 404
    assert signed_in(people.alice).get(url(people.other, workshop, "ods")).status_code == 404
