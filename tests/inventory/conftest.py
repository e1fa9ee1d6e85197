"""Fixtures of the inventory tests: the workshop tests' network (Alice and Bob of Coulaines,
Chloé of Allonnes, David of Sargé, a coordinator without commune, an outsider of another
network) and factories of inventory lines saved through the service."""
from __future__ import annotations

from datetime import date

import pytest

from tests.workshops.conftest import World, build_world
from workspace.extensions import db
from workspace.inventory import service


@pytest.fixture
def world(make_user, make_network, make_organisation) -> World:
    return build_world(make_user, make_network, make_organisation)


@pytest.fixture
def make_contract(world):
    def make(user=None, network=None, **over):
        user = user or world.alice
        values = dict(organisation_id=user.organisation_id, kind="telecoms",
                      supplier="Orange", subject="Téléphonie fixe", starts_on=date(2024, 1, 1),
                      ends_on=date(2030, 12, 31), notice_months=3,
                      yearly_amount_cents=123456, licence_count=None, notes="")
        values.update(over)
        contract = service.save_contract(user, network or world.network, None,
                                         service.ContractData(**values))
        db.session.commit()
        return contract

    return make


@pytest.fixture
def make_item(world):
    def make(user=None, network=None, **over):
        user = user or world.alice
        values = dict(organisation_id=user.organisation_id, kind="software",
                      product="Zimbra", version="8.8.15", quantity=10, notes="")
        values.update(over)
        item = service.save_item(user, network or world.network, None,
                                 service.ItemData(**values))
        db.session.commit()
        return item

    return make


def url(world, path: str = "/") -> str:
    return f"/n/{world.network.slug}/inventory{path}"
