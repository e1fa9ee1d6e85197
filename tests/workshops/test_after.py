"""After the workshop: attendance, notes with their history, feedback, documents."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import text_of
from tests.documents.conftest import MINIMAL_PDF
from tests.workshops.conftest import url
from workspace.core.revisions import TextRevision
from workspace.documents import service as documents
from workspace.documents import uploads
from workspace.extensions import db
from workspace.workshops import service
from workspace.workshops.models import Feedback, Registration

YESTERDAY = -timedelta(days=1)


@pytest.fixture
def held(world, make_workshop):
    """A workshop held yesterday: Alice and Chloé confirmed, David waiting."""
    workshop = make_workshop("Retour d'expérience GED", capacity=2, starts_in=YESTERDAY)
    # registrations were taken before the start; the service checks the deadline
    workshop.registration_deadline = workshop.starts_at + timedelta(days=2)
    db.session.commit()
    for user in (world.alice, world.chloe, world.david):
        service.register(user, workshop.id)
    workshop.registration_deadline = workshop.starts_at
    db.session.commit()
    return workshop


def test_attendance_is_recorded_for_confirmed_people(world, signed_in, held):
    client = signed_in(world.coordinator)
    page = text_of(client.get(url(world, f"/{held.id}/attendance")))
    assert "Alice Martin" in page and "Chloé Petit" in page and "David Roux" not in page
    response = client.post(url(world, f"/{held.id}/attendance"),
                           data={"present": [str(world.alice.id), str(world.david.id), "abc"]},
                           follow_redirects=True)
    assert "Les présences sont enregistrées." in text_of(response)
    db.session.expire_all()
    attended = dict(db.session.execute(select(Registration.user_id, Registration.attended)
                                       .where(Registration.workshop_id == held.id)).all())
    assert attended == {world.alice.id: True, world.chloe.id: False, world.david.id: None}
    assert "présence notée" in text_of(client.get(url(world, f"/{held.id}")))


def test_notes_are_written_and_revised_only_when_changed(world, signed_in, held):
    client = signed_in(world.chloe)
    assert "Rédiger les notes" in text_of(client.get(url(world, f"/{held.id}")))
    assert client.get(url(world, f"/{held.id}/notes")).status_code == 200
    response = client.post(url(world, f"/{held.id}/notes"),
                           data={"body": "## Points clés\n\n- plan de **classement**"},
                           follow_redirects=True)
    page = text_of(response)
    assert "Les notes sont enregistrées." in page
    assert "<h2>Points clés</h2>" in page and "<strong>classement</strong>" in page
    again = client.post(url(world, f"/{held.id}/notes"),
                        data={"body": "## Points clés\r\n\r\n- plan de **classement**\n"},
                        follow_redirects=True)
    assert "Aucune modification" in text_of(again)
    signed_in(world.alice).post(url(world, f"/{held.id}/notes"), data={"body": "Autre texte"})
    assert db.session.scalar(select(func.count(TextRevision.id))) == 2
    history = text_of(client.get(url(world, f"/{held.id}/notes/history")))
    assert "Version 2" in history and "Alice Martin" in history
    assert "Version 1" in history and "Chloé Petit" in history
    assert "plan de **classement**" in history


def test_script_in_notes_is_not_rendered(world, signed_in, held):
    client = signed_in(world.alice)
    client.post(url(world, f"/{held.id}/notes"), data={"body": "<script>alert(1)</script>"})
    page = client.get(url(world, f"/{held.id}")).get_data(as_text=True)
    assert "<script>alert(1)" not in page


def test_participants_give_feedback_and_coordinators_read_the_summary(
        world, signed_in, held):
    alice = signed_in(world.alice)
    page = text_of(alice.get(url(world, f"/{held.id}/feedback")))
    assert "Votre note" in page and "<legend" in page
    assert "Ce qui vous a été utile" in page and "Ce qui pourrait être amélioré" in page
    response = alice.post(url(world, f"/{held.id}/feedback"),
                          data={"rating": "4", "useful": "Le plan de classement",
                                "improve": "Plus de temps"}, follow_redirects=True)
    assert "Merci pour votre avis." in text_of(response)
    signed_in(world.chloe).post(url(world, f"/{held.id}/feedback"), data={"rating": "5"})
    alice.post(url(world, f"/{held.id}/feedback"), data={"rating": "3"})  # changes her mind
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 2
    page = text_of(signed_in(world.coordinator).get(url(world, f"/{held.id}")))
    assert "Note moyenne : 4 sur 5 (2 avis)" in page
    assert "Le plan de classement" not in page  # her second answer left no comment


def test_average_is_written_the_french_way(world, signed_in, held):
    signed_in(world.alice).post(url(world, f"/{held.id}/feedback"),
                                data={"rating": "4", "useful": "Les exemples"})
    signed_in(world.chloe).post(url(world, f"/{held.id}/feedback"), data={"rating": "5"})
    page = text_of(signed_in(world.coordinator).get(url(world, f"/{held.id}")))
    assert "Note moyenne : 4,5 sur 5" in page and "Les exemples" in page


@pytest.mark.parametrize("rating", ["", "0", "6", "cinq"])
def test_feedback_needs_a_rating_between_1_and_5(world, signed_in, held, rating):
    response = signed_in(world.alice).post(url(world, f"/{held.id}/feedback"),
                                           data={"rating": rating})
    assert response.status_code == 200
    match = re.search(r'id="rating-error">(.*?)</div>', response.get_data(as_text=True))
    assert match and match.group(1) == "Choisissez une note de 1 à 5."
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_non_participants_are_told_why_they_cannot_give_feedback(world, signed_in, held):
    for user in (world.david, world.bob):  # waiting, not registered
        client = signed_in(user)
        page = text_of(client.get(url(world, f"/{held.id}/feedback")))
        assert "Seules les personnes dont l'inscription à cet atelier était confirmée" in page
        assert "Envoyer mon avis" not in page
        response = client.post(url(world, f"/{held.id}/feedback"), data={"rating": "5"})
        assert response.status_code == 403
        assert "Seules les personnes dont l'inscription" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_feedback_opens_at_the_start(world, signed_in, make_workshop):
    workshop = make_workshop()
    service.register(world.alice, workshop.id)
    db.session.commit()
    page = text_of(signed_in(world.alice).get(url(world, f"/{workshop.id}/feedback")))
    assert "Vous pourrez donner votre avis à partir du début de l'atelier" in page


def test_members_attach_a_library_document(world, signed_in, held):
    report = uploads.upload_documents(world.alice, world.network, None,
                                      [("support.pdf", uploads.incoming_bytes(MINIMAL_PDF))])
    db.session.commit()
    document = report.created[0]
    client = signed_in(world.chloe)
    assert "Support" in text_of(client.get(url(world, f"/{held.id}")))
    response = client.post(url(world, f"/{held.id}/attach"),
                           data={"document_id": str(document.id)}, follow_redirects=True)
    assert "est joint à l'atelier." in text_of(response)
    assert [d.id for d in documents.documents_linked_to("workshop", held.id)] == [document.id]
    # the document's page says where it is used
    page = text_of(client.get(f"/n/{world.network.slug}/documents/{document.id}"))
    assert "Atelier : Retour d'expérience GED" in page


def test_members_upload_a_file_for_the_workshop(world, signed_in, held):
    client = signed_in(world.alice)
    response = client.post(url(world, f"/{held.id}/attach"),
                           data={"files": [(io.BytesIO(MINIMAL_PDF), "diaporama.pdf"),
                                           (io.BytesIO(b""), "vide.pdf")]},
                           content_type="multipart/form-data", follow_redirects=True)
    page = text_of(response)
    assert "1 document joint à l'atelier." in page and "est vide" in page
    [document] = documents.documents_linked_to("workshop", held.id)
    assert document.folder.name == "Ateliers"
    assert "Diaporama" in page


def test_attach_with_bad_input_explains(world, signed_in, held, make_network):
    other = make_network("Réseau voirie", members=[world.alice])
    foreign = uploads.upload_documents(world.alice, other, None, [
        ("autre.pdf", uploads.incoming_bytes(MINIMAL_PDF))]).created[0]
    db.session.commit()
    client = signed_in(world.alice)
    for data in ({"document_id": str(foreign.id)}, {"document_id": "9" * 30},
                 {"document_id": "abc"}, {}):
        response = client.post(url(world, f"/{held.id}/attach"), data=data,
                               follow_redirects=True)
        assert response.status_code == 200
        assert ("n'existe pas ou plus" in text_of(response)
                or "Choisissez un document" in text_of(response)), data
    assert documents.documents_linked_to("workshop", held.id) == []


def test_link_label_is_shown_only_to_those_who_see_the_network(world, held, app):
    with app.test_request_context():
        assert service._link_targets([held.id], world.outsider) == {}
        [target] = service._link_targets([held.id], world.alice).values()
    assert target.label == "Atelier : Retour d'expérience GED"
    assert target.url.endswith(f"/workshops/{held.id}")



def test_feedback_form_shows_the_previous_answer(world, signed_in, held):
    client = signed_in(world.alice)
    client.post(url(world, f"/{held.id}/feedback"), data={"rating": "2", "improve": "Le son"})
    page = client.get(url(world, f"/{held.id}/feedback")).get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="2"|<input[^>]*value="2"[^>]*checked', page)
    assert "Le son" in page


def test_saving_empty_notes_records_no_revision(world, signed_in, held):
    response = signed_in(world.alice).post(url(world, f"/{held.id}/notes"), data={"body": " "},
                                           follow_redirects=True)
    assert "Aucune modification" in text_of(response)
    assert db.session.scalar(select(func.count(TextRevision.id))) == 0
