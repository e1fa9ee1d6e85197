"""The workshop pages along their happy paths: list, scheduling in Paris time, detail,
editing, and a workshop born from a need."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.conftest import text_of
from tests.workshops.conftest import url
from workspace.extensions import db
from workspace.needs import service as needs
from workspace.needs.models import NEED_ANSWERED, Need
from workspace.workshops import service
from workspace.workshops.models import Workshop

FORM = {"theme": "Marchés publics", "title": "Rédiger un cahier des charges",
        "description": "Les **bases** d'un CCTP.", "starts_at": "2027-06-10T09:00",
        "ends_at": "2027-06-10T12:30", "registration_deadline": "2027-06-03T18:00",
        "location": "Salle du conseil, Allonnes", "capacity": "12", "seats_per_commune": "3"}


def test_list_shows_seats_full_badge_and_my_status(world, signed_in, make_workshop):
    open_one = make_workshop("Zimbra avancé", capacity=5)
    full = make_workshop("Atelier très demandé", capacity=1)
    service.register(world.alice, open_one.id)
    service.register(world.bob, full.id)
    db.session.commit()
    page = text_of(signed_in(world.alice).get(url(world)))
    assert "Zimbra avancé" in page and "Atelier très demandé" in page
    assert "4 places restantes sur 5" in page
    assert "Aucune place restante sur 1" in page and "complet — liste d'attente" in page
    assert "inscription confirmée" in page
    assert "Organiser un atelier" not in page
    assert "Organiser un atelier" in text_of(signed_in(world.coordinator).get(url(world)))


def test_past_workshops_are_listed_apart(world, signed_in, make_workshop):
    from datetime import timedelta

    make_workshop("Atelier d'hier", starts_in=-timedelta(days=1))
    page = text_of(signed_in(world.alice).get(url(world)))
    upcoming, past = page.split("Ateliers passés", 1)
    assert "Atelier d'hier" in past and "Atelier d'hier" not in upcoming.split(
        "Ateliers à venir", 1)[1]


def test_coordinator_schedules_a_workshop_in_paris_time(world, signed_in):
    client = signed_in(world.coordinator)
    assert client.get(url(world, "/new")).status_code == 200
    response = client.post(url(world, "/new"), data=FORM)
    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert response.headers["Location"].endswith(f"/workshops/{workshop.id}")
    # 10 June is in summer time: Paris is UTC+2
    assert workshop.starts_at == datetime(2027, 6, 10, 7, 0, tzinfo=UTC)
    assert workshop.ends_at == datetime(2027, 6, 10, 10, 30, tzinfo=UTC)
    assert workshop.registration_deadline == datetime(2027, 6, 3, 16, 0, tzinfo=UTC)
    assert (workshop.capacity, workshop.seats_per_commune) == (12, 3)
    page = text_of(client.get(response.headers["Location"]))
    assert "L'atelier est programmé." in page
    assert "jeudi 10 juin 2027 à 09:00" in page and "12:30" in page
    assert "12 places restantes sur 12" in page and "3 au plus par commune" in page
    assert "<strong>bases</strong>" in page


def test_deadline_defaults_to_the_start(world, signed_in):
    data = {**FORM, "registration_deadline": "", "seats_per_commune": ""}
    assert signed_in(world.coordinator).post(url(world, "/new"), data=data).status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert workshop.registration_deadline == workshop.starts_at
    assert workshop.seats_per_commune is None


def test_edit_form_shows_paris_time_and_saves(world, signed_in):
    client = signed_in(world.coordinator)
    client.post(url(world, "/new"), data=FORM)
    workshop = db.session.scalar(select(Workshop))
    page = client.get(url(world, f"/{workshop.id}/edit")).get_data(as_text=True)
    assert 'value="2027-06-10T09:00"' in page and 'value="2027-06-03T18:00"' in page
    response = client.post(url(world, f"/{workshop.id}/edit"),
                           data={**FORM, "title": "CCTP : les bases", "capacity": "20"})
    assert response.status_code == 302
    db.session.expire_all()
    workshop = db.session.get(Workshop, workshop.id)
    assert (workshop.title, workshop.capacity) == ("CCTP : les bases", 20)
    assert workshop.starts_at == datetime(2027, 6, 10, 7, 0, tzinfo=UTC)


def test_capacity_cannot_drop_below_the_confirmed(world, signed_in, make_workshop):
    workshop = make_workshop(capacity=3)
    for user in (world.alice, world.chloe, world.david):
        service.register(user, workshop.id)
    db.session.commit()
    response = signed_in(world.coordinator).post(url(world, f"/{workshop.id}/edit"),
                                                 data={**FORM, "capacity": "2",
                                                       "seats_per_commune": ""})
    assert response.status_code == 200
    assert "3 personnes sont déjà inscrites" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).capacity == 3


def test_detail_shows_seats_deadline_and_commune_lists_to_coordinators(
        world, signed_in, make_workshop):
    workshop = make_workshop(capacity=2, seats_per_commune=1)
    service.register(world.alice, workshop.id)
    service.register(world.bob, workshop.id)  # same commune: waits
    db.session.commit()
    member_page = text_of(signed_in(world.chloe).get(url(world, f"/{workshop.id}")))
    assert "1 place restante sur 2" in member_page
    assert "1 au plus par commune" in member_page
    assert "Inscriptions ouvertes jusqu'au" in member_page
    assert "M'inscrire" in member_page
    assert "Inscriptions confirmées, par commune" not in member_page
    page = text_of(signed_in(world.coordinator).get(url(world, f"/{workshop.id}")))
    confirmed, waiting = page.split("Liste d'attente, par commune", 1)
    assert "Coulaines (1)" in confirmed and "Alice Martin" in confirmed
    assert "Bob Durand" in waiting and "(position 1)" in waiting
    assert "Aucun avis pour l'instant." in page


def test_my_status_on_the_detail_page(world, signed_in, make_workshop):
    workshop = make_workshop(capacity=1)
    service.register(world.alice, workshop.id)
    service.register(world.chloe, workshop.id)
    db.session.commit()
    assert "Votre inscription est confirmée." in text_of(
        signed_in(world.alice).get(url(world, f"/{workshop.id}")))
    page = text_of(signed_in(world.chloe).get(url(world, f"/{workshop.id}")))
    assert "Vous êtes sur la liste d'attente, en position 1." in page
    assert "Quitter la liste d'attente" in page
    assert "M'inscrire sur la liste d'attente" in text_of(
        signed_in(world.david).get(url(world, f"/{workshop.id}")))


def test_workshop_created_from_a_need_answers_it(world, signed_in):
    need = needs.create_need(world.alice, world.network, "Formation à la GED",
                             "Nos agents ne savent pas classer.")
    db.session.commit()
    client = signed_in(world.coordinator)
    page = client.get(url(world, f"/new?need={need.id}")).get_data(as_text=True)
    assert 'value="Formation à la GED"' in page and "Nos agents ne savent pas classer." in page
    response = client.post(url(world, f"/new?need={need.id}"), data=FORM)
    assert response.status_code == 302
    db.session.expire_all()
    need = db.session.get(Need, need.id)
    workshop = db.session.scalar(select(Workshop))
    assert need.status == NEED_ANSWERED and need.answered_by_workshop_id == workshop.id


def test_need_of_another_network_or_unknown_gives_404(world, signed_in, make_network):
    other = make_network("Réseau voirie", members=[world.alice],
                         coordinators=[world.coordinator])
    need = needs.create_need(world.alice, other, "Déneigement", "")
    db.session.commit()
    client = signed_in(world.coordinator)
    for query in (f"?need={need.id}", "?need=999999", "?need=abc", "?need=" + "9" * 30):
        assert client.get(url(world, "/new" + query)).status_code == 404, query
    assert db.session.scalar(select(func.count(Workshop.id))) == 0
