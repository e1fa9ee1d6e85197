"""Saving lines, and the questions asked of the inventory: who uses a product, which contracts
end soon with their notice deadline, what several communes buy."""
from __future__ import annotations

from datetime import date

import pytest

from workspace.core.errors import DomainError, PermissionDenied
from workspace.extensions import db
from workspace.inventory import service
from workspace.inventory.models import InventoryContract


def test_notice_deadline_is_end_minus_notice(make_contract):
    contract = make_contract(ends_on=date(2027, 5, 31), notice_months=3)
    assert contract.notice_deadline == date(2027, 2, 28)  # clamped to the month's last day
    assert make_contract(ends_on=None).notice_deadline is None
    assert make_contract(ends_on=date(2027, 6, 30), notice_months=0).notice_deadline == date(
        2027, 6, 30)


def test_member_saves_for_own_commune_only(world, make_contract):
    data = service.ContractData(organisation_id=world.chloe.organisation_id, kind="telecoms",
                                supplier="SFR", subject="Fibre")
    with pytest.raises(PermissionDenied):
        service.save_contract(world.alice, world.network, None, data)
    contract = make_contract(world.chloe, supplier="SFR")
    data.organisation_id = world.alice.organisation_id
    with pytest.raises(PermissionDenied):  # nor take another commune's line for their own
        service.save_contract(world.alice, world.network, contract, data)
    db.session.rollback()
    assert db.session.get(InventoryContract, contract.id).organisation_id == \
        world.chloe.organisation_id


def test_coordinator_saves_for_every_commune(world, make_contract):
    contract = service.save_contract(world.coordinator, world.network, None,
                                     service.ContractData(
                                         organisation_id=world.david.organisation_id,
                                         kind="printing", supplier="Canon", subject="Copieurs"))
    assert contract.organisation_id == world.david.organisation_id


@pytest.mark.parametrize(("change", "message"), [
    (dict(kind="cheese"), "Type de contrat inconnu"), (dict(supplier="  "), "fournisseur"),
    (dict(subject=""), "objet"), (dict(starts_on=date(2028, 1, 1), ends_on=date(2027, 1, 1)),
                                  "précède"),
    (dict(notice_months=500), "préavis"), (dict(organisation_id=None), "commune")])
def test_invalid_contracts_are_refused(world, change, message):
    values = dict(organisation_id=world.alice.organisation_id, kind="telecoms",
                  supplier="Orange", subject="Fixe")
    values.update(change)
    with pytest.raises(DomainError) as error:
        service.save_contract(world.coordinator, world.network, None,
                              service.ContractData(**values))
    assert message.lower() in error.value.message.lower()


def test_product_search_ignores_case_and_accents_and_groups_by_version(world, make_item):
    make_item(world.alice, product="Zimbra", version="8.8.15", quantity=40)
    make_item(world.bob, product="zimbra", version="8.8.15", quantity=5)  # same commune
    make_item(world.chloe, product="ZIMBRA", version="9.0", quantity=80)
    make_item(world.david, product="Alfresco", version="7.2")
    make_item(world.chloe, product="Pare-feu Stormshield", version="SN310")
    groups = service.search_products(world.network, "zimbra")
    assert [(g.version, g.communes) for g in groups] == [
        ("8.8.15", [("Coulaines", 45)]), ("9.0", [("Allonnes", 80)])]
    assert groups[0].product == "Zimbra"  # the most common spelling
    assert [g.product for g in service.search_products(world.network, "pare feu STORMSHÎELD")
            ] == ["Pare-feu Stormshield"]
    assert service.search_products(world.network, "Oracle") == []
    assert len(service.search_products(world.network, "%")) == 4  # punctuation: no filter
    assert len(service.search_products(world.network, "")) == 4


def test_product_search_stays_in_the_network(world, make_item, make_network):
    other = make_network("Réseau voisin", members=[world.alice])
    make_item(world.alice, network=other, product="Zimbra")
    assert service.search_products(world.network, "zimbra") == []


def test_versions_sort_as_numbers(world, make_item):
    for version in ("10.0", "9.0", "8.8.15"):
        make_item(world.alice, product="Zimbra", version=version)
    assert [g.version for g in service.search_products(world.network, "zimbra")] == [
        "8.8.15", "9.0", "10.0"]


def test_contracts_ending_in_the_next_months_most_urgent_notice_first(world, make_contract):
    today = date(2027, 1, 15)
    late = make_contract(world.alice, ends_on=date(2027, 12, 31), notice_months=1)
    urgent = make_contract(world.chloe, ends_on=date(2027, 9, 30), notice_months=6)
    make_contract(world.david, ends_on=date(2028, 3, 1))  # beyond 12 months
    make_contract(world.david, ends_on=date(2027, 1, 14))  # already over
    make_contract(world.david, ends_on=None)
    assert service.ending_contracts(world.network, today, 12) == [urgent, late]
    assert urgent.notice_deadline == date(2027, 3, 30)
    assert service.ending_contracts(world.network, today, 3) == []


def test_summary_by_kind_shows_joint_purchase_candidates(world, make_contract):
    contracts = [make_contract(world.alice, supplier="Orange", yearly_amount_cents=100000),
                 make_contract(world.bob, supplier="Bouygues Telecom", yearly_amount_cents=5050),
                 make_contract(world.chloe, supplier="Orange", yearly_amount_cents=None),
                 make_contract(world.david, kind="printing", supplier="Canon",
                               yearly_amount_cents=20000)]
    telecoms, printing = service.summary_by_kind(contracts)
    assert telecoms.kind == "telecoms" and telecoms.commune_names == ["Allonnes", "Coulaines"]
    assert telecoms.contracts == 3 and telecoms.total_cents == 105050
    assert telecoms.unknown_amounts == 1
    assert telecoms.supplier_list == [("Orange", 2), ("Bouygues Telecom", 1)]
    assert printing.commune_names == ["Sargé-lès-le-Mans"] and printing.total_cents == 20000
