"""The needs register through its pages: recording a need, "us too", the order of the list,
and the answers (a workshop, a meeting's agenda)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import text_of
from tests.needs.conftest import url
from workspace.extensions import db
from workspace.meetings.models import AgendaItem
from workspace.needs import service
from workspace.needs.models import NEED_ANSWERED, NEED_OPEN, Need, NeedSupport


def need_count() -> int:
    return db.session.scalar(select(func.count(Need.id)))


def test_member_records_a_need(world, signed_in):
    client = signed_in(world.alice)
    page = text_of(client.get(url(world)))
    assert "Exprimer un besoin au nom de votre commune" in page
    assert "Aucun besoin exprimé pour l'instant." in page
    response = client.post(url(world), data={"title": "Former les agents à la GED",
                                             "description": "Surtout le **classement**."})
    assert response.status_code == 302
    need = db.session.scalar(select(Need))
    assert response.headers["Location"].endswith(f"/needs/{need.id}")
    page = text_of(client.get(response.headers["Location"]))
    assert "Le besoin est enregistré." in page
    assert "Former les agents à la GED" in page and "<strong>classement</strong>" in page
    assert "1 commune partage ce besoin" in page and "Coulaines" in page
    assert "Votre commune est déjà associée à ce besoin." in page


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_a_need_without_a_proper_title_is_refused(world, signed_in, title):
    response = signed_in(world.alice).post(url(world), data={"title": title})
    assert response.status_code == 200
    assert 'id="title-error"' in response.get_data(as_text=True)
    assert need_count() == 0


def test_a_need_requires_a_commune(world, signed_in):
    response = signed_in(world.coordinator).post(url(world), data={"title": "Un besoin"})
    assert response.status_code == 200
    assert "Indiquez votre commune dans votre profil" in text_of(response)
    assert need_count() == 0


def test_us_too_adds_the_commune_once(world, signed_in):
    need = service.create_need(world.alice, world.network, "Former à la GED", "")
    db.session.commit()
    chloe = signed_in(world.chloe)
    page = text_of(chloe.get(url(world, f"/{need.id}")))
    assert "Nous aussi" in page
    response = chloe.post(url(world, f"/{need.id}/support"),
                          data={"comment": "Trois agents concernés"}, follow_redirects=True)
    page = text_of(response)
    assert "C'est noté : votre commune partage ce besoin." in page
    assert "2 communes partagent ce besoin" in page
    assert "Allonnes" in page and "Trois agents concernés" in page
    # Bob is from Coulaines, like Alice who recorded the need
    response = signed_in(world.bob).post(url(world, f"/{need.id}/support"), data={},
                                         follow_redirects=True)
    assert "Votre commune est déjà associée à ce besoin." in text_of(response)
    again = chloe.post(url(world, f"/{need.id}/support"), data={}, follow_redirects=True)
    assert "Votre commune est déjà associée à ce besoin." in text_of(again)
    db.session.expire_all()
    assert db.session.get(Need, need.id).support_count == 2
    assert db.session.scalar(select(func.count(NeedSupport.id))) == 2


def test_too_long_comment_is_refused(world, signed_in):
    need = service.create_need(world.alice, world.network, "Former à la GED", "")
    db.session.commit()
    response = signed_in(world.chloe).post(url(world, f"/{need.id}/support"),
                                           data={"comment": "x" * 501}, follow_redirects=True)
    assert "500 caractères au plus" in text_of(response)
    assert db.session.scalar(select(func.count(NeedSupport.id))) == 1


def test_list_puts_the_most_shared_first_or_the_most_recent(world, signed_in):
    first = service.create_need(world.alice, world.network, "Besoin ancien partagé", "")
    db.session.flush()
    service.support(world.chloe, first)
    service.support(world.david, first)
    service.create_need(world.chloe, world.network, "Besoin récent isolé", "")
    db.session.commit()
    client = signed_in(world.bob)
    page = text_of(client.get(url(world)))
    assert page.index("Besoin ancien partagé") < page.index("Besoin récent isolé")
    assert "3 communes" in page and "Coulaines, Allonnes, Sargé-lès-le-Mans" in page
    page = text_of(client.get(url(world, "/?order=recent")))
    assert page.index("Besoin récent isolé") < page.index("Besoin ancien partagé")
    assert client.get(url(world, "/?order=n'importe")).status_code == 200


def test_coordinator_puts_a_need_on_a_meeting_agenda(world, signed_in, make_meeting):
    need = service.create_need(world.alice, world.network, "Sauvegardes", "")
    db.session.commit()
    make_meeting("Réunion passée", starts_in=-timedelta(days=3))
    make_meeting("Réunion annulée", is_cancelled=True)
    meeting = make_meeting("Réunion de rentrée")
    client = signed_in(world.coordinator)
    page = text_of(client.get(url(world, f"/{need.id}")))
    assert "Transformer en atelier" in page and f"workshops/new?need={need.id}" in page
    assert "Réunion de rentrée" in page
    assert "Réunion passée" not in page and "Réunion annulée" not in page
    response = client.post(url(world, f"/{need.id}/to-meeting"),
                           data={"meeting": str(meeting.id)}, follow_redirects=True)
    page = text_of(response)
    assert "Le besoin est inscrit à l'ordre du jour de la réunion « Réunion de rentrée »." in page
    assert "à l'ordre du jour de la réunion" in page
    db.session.expire_all()
    need = db.session.get(Need, need.id)
    assert need.status == NEED_ANSWERED and need.answered_by_meeting_id == meeting.id
    assert db.session.scalar(select(AgendaItem.need_id).where(
        AgendaItem.meeting_id == meeting.id)) == need.id
    assert "traité" in text_of(client.get(url(world)))


def test_to_meeting_refuses_other_meetings(world, signed_in, make_meeting, make_network):
    need = service.create_need(world.alice, world.network, "Sauvegardes", "")
    db.session.commit()
    other = make_network("Réseau voirie", coordinators=[world.coordinator])
    foreign = make_meeting("Réunion voirie", network=other)
    past = make_meeting("Réunion passée", starts_in=-timedelta(days=3))
    client = signed_in(world.coordinator)
    for value in (str(foreign.id), str(past.id), "abc", "", "9" * 30):
        response = client.post(url(world, f"/{need.id}/to-meeting"), data={"meeting": value},
                               follow_redirects=True)
        assert response.status_code == 200
        assert "Choisissez une réunion à venir du réseau." in text_of(response), value
    db.session.expire_all()
    assert db.session.get(Need, need.id).status == NEED_OPEN


def test_need_answered_by_a_workshop_links_to_it(world, signed_in):
    from tests.workshops.test_pages import FORM

    need = service.create_need(world.alice, world.network, "Former à la GED", "")
    db.session.commit()
    signed_in(world.coordinator).post(f"/n/{world.network.slug}/workshops/new?need={need.id}",
                                      data={**FORM, "title": "GED pour tous"})
    page = text_of(signed_in(world.alice).get(url(world, f"/{need.id}")))
    assert "par l'atelier" in page and "GED pour tous" in page
    assert "/workshops/" in page
    assert "GED pour tous" in text_of(signed_in(world.alice).get(url(world)))
