"""Who may open which need page: outsiders of a private network get 404 everywhere, members
get 403 on coordinator actions, needs of another network are 404."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.needs.conftest import url
from workspace.extensions import db
from workspace.needs import service
from workspace.needs.models import Need, NeedSupport

NEED_PAGES = [("GET", "/"), ("POST", "/"), ("GET", "/{id}"), ("POST", "/{id}/support"),
              ("POST", "/{id}/to-meeting")]


@pytest.fixture
def need(world):
    need = service.create_need(world.alice, world.network, "Former à la GED", "")
    db.session.commit()
    return need


@pytest.mark.parametrize(("method", "path"), NEED_PAGES)
def test_outsiders_of_a_private_network_get_404(world, signed_in, need, method, path):
    response = signed_in(world.outsider).open(url(world, path.format(id=need.id)),
                                              method=method, data={"title": "Intrus"})
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(Need.id))) == 1
    assert db.session.scalar(select(func.count(NeedSupport.id))) == 1


def test_members_may_not_answer_with_a_meeting(world, signed_in, need):
    client = signed_in(world.chloe)
    assert client.post(url(world, f"/{need.id}/to-meeting"), data={}).status_code == 403
    page = client.get(url(world, f"/{need.id}")).get_data(as_text=True)
    assert "Transformer en atelier" not in page


def test_readers_of_an_open_network_may_not_write(world, signed_in, need):
    world.network.is_private = False
    db.session.commit()
    client = signed_in(world.outsider)
    assert client.get(url(world)).status_code == 200
    assert client.get(url(world, f"/{need.id}")).status_code == 200
    assert client.post(url(world), data={"title": "Intrus"}).status_code == 403
    assert client.post(url(world, f"/{need.id}/support"), data={}).status_code == 403


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p in NEED_PAGES if "{id}" in p])
def test_need_of_another_network_or_unknown_is_404(world, signed_in, make_network, method,
                                                   path):
    other = make_network("Réseau voirie", members=[world.alice],
                         coordinators=[world.coordinator])
    foreign = service.create_need(world.alice, other, "Déneigement", "")
    db.session.commit()
    client = signed_in(world.coordinator)
    for need_id in (foreign.id, 987654, 2**64):
        response = client.open(url(world, path.format(id=need_id)), method=method, data={})
        assert response.status_code == 404, need_id
