"""Registering and cancelling through the pages: seats, waiting list and its positions, the
per-commune limit, the promotion e-mail, double clicks and the deadline."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import text_of
from tests.workshops.conftest import url
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.workshops import service
from workspace.workshops.models import CANCELLED, CONFIRMED, WAITING, Registration, Workshop


def register(client, world, workshop):
    return client.post(url(world, f"/{workshop.id}/register"), follow_redirects=True)


def cancel(client, world, workshop):
    return client.post(url(world, f"/{workshop.id}/cancel"), follow_redirects=True)


def status_of(user, workshop) -> str | None:
    db.session.expire_all()
    registration = db.session.scalar(select(Registration).where(
        Registration.user_id == user.id, Registration.workshop_id == workshop.id))
    return registration.status if registration else None


def counts(workshop) -> tuple[int, int]:
    db.session.expire_all()
    workshop = db.session.get(Workshop, workshop.id)
    return workshop.confirmed_count, workshop.waiting_count


def test_registration_is_confirmed_while_seats_remain(world, signed_in, make_workshop):
    workshop = make_workshop(capacity=2)
    page = text_of(register(signed_in(world.alice), world, workshop))
    assert "Inscription confirmée." in page
    assert "1 place restante sur 2" in page and "Votre inscription est confirmée." in page
    assert status_of(world.alice, workshop) == CONFIRMED


def test_when_full_people_land_on_the_waiting_list_with_their_position(
        world, signed_in, make_workshop):
    workshop = make_workshop(capacity=1)
    register(signed_in(world.alice), world, workshop)
    page = text_of(register(signed_in(world.chloe), world, workshop))
    assert ("L'atelier est complet : vous êtes sur la liste d'attente (position 1)."
            in page)
    page = text_of(register(signed_in(world.david), world, workshop))
    assert "(position 2)" in page and "en position 2" in page
    assert counts(workshop) == (1, 2)
    assert "Aucune place restante sur 1" in page and "complet — liste d'attente" in page


def test_a_cancellation_promotes_exactly_one_person_who_gets_an_email(
        world, signed_in, make_workshop, mailbox):
    workshop = make_workshop("Zimbra avancé", capacity=1)
    alice = signed_in(world.alice)
    register(alice, world, workshop)
    register(signed_in(world.chloe), world, workshop)
    register(signed_in(world.david), world, workshop)
    mailbox.clear()
    page = text_of(cancel(alice, world, workshop))
    assert "Inscription annulée." in page and "M'inscrire" in page
    assert status_of(world.alice, workshop) == CANCELLED
    assert status_of(world.chloe, workshop) == CONFIRMED
    assert status_of(world.david, workshop) == WAITING
    assert counts(workshop) == (1, 1)
    messages = mailbox.deliver()
    assert [m.envelope_to for m in messages] == [[world.chloe.email]]
    body = messages[0].get_content()
    assert "Zimbra avancé" in messages[0]["Subject"]
    assert "votre inscription est maintenant confirmée" in body
    assert "Hôtel de ville de Coulaines" in body
    assert f"http://tilt.test/n/{world.network.slug}/workshops/{workshop.id}" in body
    # David is now first in line
    assert "en position 1" in text_of(signed_in(world.david).get(url(world, f"/{workshop.id}")))


def test_leaving_the_waiting_list_promotes_nobody(world, signed_in, make_workshop, mailbox):
    workshop = make_workshop(capacity=1)
    register(signed_in(world.alice), world, workshop)
    chloe = signed_in(world.chloe)
    register(chloe, world, workshop)
    register(signed_in(world.david), world, workshop)
    mailbox.clear()
    assert "Inscription annulée." in text_of(cancel(chloe, world, workshop))
    assert counts(workshop) == (1, 1) and mailbox.deliver() == []
    assert "en position 1" in text_of(signed_in(world.david).get(url(world, f"/{workshop.id}")))


def test_seats_per_commune(world, signed_in, make_workshop, mailbox):
    workshop = make_workshop(capacity=3, seats_per_commune=1)
    alice = signed_in(world.alice)
    register(alice, world, workshop)
    page = text_of(register(signed_in(world.bob), world, workshop))  # Coulaines too
    assert "Les places réservées à votre commune sont prises" in page and "(position 1)" in page
    assert text_of(register(signed_in(world.chloe), world, workshop)).count(
        "Inscription confirmée.") == 1  # Allonnes still has its seat
    assert status_of(world.bob, workshop) == WAITING
    mailbox.clear()
    cancel(alice, world, workshop)  # Coulaines' seat is free again: Bob takes it
    assert status_of(world.bob, workshop) == CONFIRMED
    assert [m.envelope_to for m in mailbox.deliver()] == [[world.bob.email]]


def test_promotion_skips_people_whose_commune_is_full(world, signed_in, make_workshop):
    workshop = make_workshop(capacity=2, seats_per_commune=1)
    register(signed_in(world.alice), world, workshop)  # Coulaines
    chloe = signed_in(world.chloe)
    register(chloe, world, workshop)  # Allonnes: full now
    register(signed_in(world.bob), world, workshop)  # Coulaines, waiting first
    register(signed_in(world.david), world, workshop)  # Sargé, waiting second
    cancel(chloe, world, workshop)
    assert status_of(world.bob, workshop) == WAITING
    assert status_of(world.david, workshop) == CONFIRMED


def test_a_double_click_registers_once(world, signed_in, make_workshop):
    workshop = make_workshop(capacity=5)
    client = signed_in(world.alice)
    first = client.post(url(world, f"/{workshop.id}/register"))
    second = client.post(url(world, f"/{workshop.id}/register"))
    assert first.status_code == second.status_code == 302
    assert db.session.scalar(select(func.count(Registration.id)).where(
        Registration.workshop_id == workshop.id)) == 1
    assert counts(workshop) == (1, 0)


def test_registering_again_after_cancelling(world, signed_in, make_workshop):
    workshop = make_workshop(capacity=5)
    client = signed_in(world.alice)
    register(client, world, workshop)
    cancel(client, world, workshop)
    assert "Inscription confirmée." in text_of(register(client, world, workshop))
    assert counts(workshop) == (1, 0)


def test_the_deadline_closes_registrations(world, signed_in, make_workshop):
    workshop = make_workshop(deadline=utcnow() - timedelta(hours=1))
    client = signed_in(world.alice)
    page = text_of(client.get(url(world, f"/{workshop.id}")))
    assert "Les inscriptions sont closes depuis le" in page and "M'inscrire" not in page
    page = text_of(register(client, world, workshop))
    assert "Les inscriptions à cet atelier sont closes." in page
    assert status_of(world.alice, workshop) is None and counts(workshop) == (0, 0)


def test_cancelling_without_registration_is_explained(world, signed_in, make_workshop):
    workshop = make_workshop()
    page = text_of(cancel(signed_in(world.alice), world, workshop))
    assert "Vous n'avez pas d'inscription à cet atelier." in page


def test_cancelled_workshop_refuses_registrations(world, signed_in, make_workshop):
    workshop = make_workshop()
    workshop.is_cancelled = True
    db.session.commit()
    client = signed_in(world.alice)
    assert "Cet atelier est annulé." in text_of(client.get(url(world, f"/{workshop.id}")))
    assert "Cet atelier est annulé." in text_of(register(client, world, workshop))
    assert status_of(world.alice, workshop) is None


def test_readers_of_an_open_network_may_not_register(world, signed_in, make_workshop):
    world.network.is_private = False
    db.session.commit()
    workshop = make_workshop()
    client = signed_in(world.outsider)
    page = text_of(client.get(url(world, f"/{workshop.id}")))
    assert "Seuls les membres du réseau peuvent s'inscrire." in page
    assert client.post(url(world, f"/{workshop.id}/register")).status_code == 403
    assert status_of(world.outsider, workshop) is None


def test_registration_changes_are_retried_on_lock_errors(world, signed_in, make_workshop,
                                                         monkeypatch):
    """SQLite may answer "database is locked" under load: the view runs the service again."""
    from sqlalchemy.exc import OperationalError

    workshop = make_workshop()
    real, calls = service.register, []

    def flaky(user, workshop_id):
        calls.append(workshop_id)
        if len(calls) == 1:
            raise OperationalError("UPDATE workshops", {}, Exception("database is locked"))
        return real(user, workshop_id)

    monkeypatch.setattr(service, "register", flaky)
    assert "Inscription confirmée." in text_of(register(signed_in(world.alice), world,
                                                        workshop))
    assert len(calls) == 2 and counts(workshop) == (1, 0)
