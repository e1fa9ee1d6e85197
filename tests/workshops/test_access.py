"""Who may open which workshop page: outsiders of a private network get 404 everywhere,
members get 403 on coordinator pages, objects of another network are 404."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.workshops.conftest import url
from workspace.extensions import db
from workspace.workshops.models import Registration

WORKSHOP_PAGES = [
    ("GET", "/"), ("GET", "/new"), ("POST", "/new"),
    ("GET", "/{id}"), ("GET", "/{id}/edit"), ("POST", "/{id}/edit"),
    ("POST", "/{id}/register"), ("POST", "/{id}/cancel"),
    ("GET", "/{id}/attendance"), ("POST", "/{id}/attendance"),
    ("GET", "/{id}/notes"), ("POST", "/{id}/notes"), ("GET", "/{id}/notes/history"),
    ("GET", "/{id}/feedback"), ("POST", "/{id}/feedback"), ("POST", "/{id}/attach"),
]
COORDINATOR_ONLY = [("GET", "/new"), ("POST", "/new"), ("GET", "/{id}/edit"),
                    ("POST", "/{id}/edit"), ("GET", "/{id}/attendance"),
                    ("POST", "/{id}/attendance")]


@pytest.mark.parametrize(("method", "path"), WORKSHOP_PAGES)
def test_outsiders_of_a_private_network_get_404(world, signed_in, make_workshop, method, path):
    workshop = make_workshop()
    response = signed_in(world.outsider).open(url(world, path.format(id=workshop.id)),
                                              method=method, data={})
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(Registration.id))) == 0


@pytest.mark.parametrize(("method", "path"), COORDINATOR_ONLY)
def test_coordinator_pages_answer_403_to_members(world, signed_in, make_workshop, method,
                                                 path):
    workshop = make_workshop()
    response = signed_in(world.alice).open(url(world, path.format(id=workshop.id)),
                                           method=method, data={})
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p in WORKSHOP_PAGES if "{id}" in p])
def test_workshop_of_another_network_or_unknown_is_404(world, signed_in, make_workshop,
                                                       make_network, method, path):
    """A coordinator of both networks still reaches a workshop only under its own network."""
    from datetime import timedelta

    from workspace.core.models import utcnow
    from workspace.workshops import service

    other = make_network("Réseau voirie", coordinators=[world.coordinator])
    starts = utcnow() + timedelta(days=3)
    foreign = service.save_workshop(world.coordinator, other, None, service.WorkshopData(
        "Voirie", "Déneigement", "", starts, starts + timedelta(hours=1), "", 5, None, starts))
    db.session.commit()
    client = signed_in(world.coordinator)
    for workshop_id in (foreign.id, 987654, 2**64):
        response = client.open(url(world, path.format(id=workshop_id)), method=method, data={})
        assert response.status_code == 404, (workshop_id, response.status_code)


def test_anonymous_visitors_are_sent_to_sign_in(world, client, make_workshop):
    workshop = make_workshop()
    response = client.get(url(world, f"/{workshop.id}"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
