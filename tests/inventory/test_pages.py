"""The inventory pages as a member uses them: forms in French formats, the commune's lines,
who uses a product, contracts ending soon, and the demo data."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import text_of
from tests.inventory.conftest import url
from workspace.extensions import db
from workspace.inventory.models import InventoryContract, InventoryItem


def _contract_form(world, **over):
    data = {"organisation_id": str(world.alice.organisation_id), "kind": "telecoms",
            "supplier": "Orange", "subject": "Téléphonie fixe", "starts_on": "01/01/2024",
            "ends_on": "31/12/2027", "notice_months": "3", "yearly_amount": "1 234,56",
            "licence_count": "", "notes": "Renouvellement tacite"}
    data.update(over)
    return data


def test_member_adds_a_contract_in_french_formats(world, signed_in):
    client = signed_in(world.alice)
    form = client.get(url(world, "/contracts/new"))
    assert form.status_code == 200 and "Montant annuel (€)" in text_of(form)
    response = client.post(url(world, "/contracts/new"), data=_contract_form(world))
    assert response.status_code == 302
    contract = db.session.scalar(select(InventoryContract))
    assert (contract.yearly_amount_cents, contract.ends_on, contract.notice_deadline) == (
        123456, date(2027, 12, 31), date(2027, 9, 30))
    page = text_of(client.get(response.headers["Location"]))
    assert "Le contrat est enregistré." in page
    assert "1\u202f234,56 €" in page and "30/09/2027" in page
    edit = text_of(client.get(url(world, f"/contracts/{contract.id}/edit")))
    assert 'value="1 234,56"' in edit and 'value="31/12/2027"' in edit


@pytest.mark.parametrize(("field", "value", "message"), [
    ("yearly_amount", "12,345", "Le montant a plus de deux décimales"),
    ("yearly_amount", "mille", "Montant illisible"),
    ("yearly_amount", "-10", "ne peut pas être négatif"),
    ("ends_on", "31/02/2027", "Date invalide"),
    ("ends_on", "01/01/2020", "La date de fin précède la date de début"),
    ("notice_months", "trois", "nombre entier attendu"),
    ("notice_months", "500", "dépasse le maximum"),
    ("supplier", "", "Ce champ est requis."),
])
def test_bad_values_are_explained_and_the_typed_text_kept(world, signed_in, make_contract,
                                                         field, value, message):
    existing = make_contract(world.alice, supplier="Bouygues Telecom")
    client = signed_in(world.alice)
    for path in ("/contracts/new", f"/contracts/{existing.id}/edit"):
        response = client.post(url(world, path), data=_contract_form(world, **{field: value}))
        page = text_of(response)
        assert response.status_code == 200 and message in page, (path, page[-3000:])
        if value:
            assert f'value="{value}"' in page
    db.session.expire_all()
    assert db.session.scalar(select(func.count(InventoryContract.id))) == 1
    assert db.session.get(InventoryContract, existing.id).supplier == "Bouygues Telecom"


def test_member_adds_edits_and_deletes_an_item(world, signed_in):
    client = signed_in(world.alice)
    response = client.post(url(world, "/items/new"), data={
        "organisation_id": str(world.alice.organisation_id), "kind": "software",
        "product": "Zimbra", "version": "8.8.15", "quantity": "1 200"})
    assert response.status_code == 302
    item = db.session.scalar(select(InventoryItem))
    assert (item.product, item.quantity, item.product_key) == ("Zimbra", 1200, "zimbra")
    bad = client.post(url(world, f"/items/{item.id}/edit"), data={
        "organisation_id": str(world.alice.organisation_id), "kind": "software",
        "product": "Zimbra", "quantity": "beaucoup"})
    assert "Quantité : nombre entier attendu" in text_of(bad)
    assert client.post(url(world, f"/items/{item.id}/delete")).status_code == 302
    assert db.session.scalar(select(func.count(InventoryItem.id))) == 0


def test_index_shows_own_commune_by_default_and_all_on_demand(world, signed_in,
                                                              make_contract):
    make_contract(world.alice, supplier="Orange")
    make_contract(world.chloe, supplier="SFR")
    client = signed_in(world.alice)
    own = text_of(client.get(url(world)))
    assert "Inventaire : Coulaines" in own and "Orange" in own
    assert "SFR" not in own.split("Contrats de toutes les communes")[0]
    everything = text_of(client.get(url(world, "/?commune=0")))
    assert "Inventaire de toutes les communes" in everything
    assert "Orange" in everything and "SFR" in everything
    summary = everything.split("Contrats de toutes les communes, par type")[1]
    assert "Télécommunications" in summary and "2\u202f469,12 €" in summary


def test_product_search_page(world, signed_in, make_item):
    make_item(world.alice, product="Zimbra", version="8.8.15", quantity=45)
    make_item(world.chloe, product="zimbra", version="8.8.15", quantity=80)
    make_item(world.david, product="Alfresco", version="7.2")
    page = text_of(signed_in(world.david).get(url(world, "/products?q=ZÎMBRA")))
    assert "Allonnes (80), Coulaines (45)" in page
    assert "Alfresco" not in page.split("</form>")[-1]
    empty = text_of(signed_in(world.david).get(url(world, "/products?q=oracle")))
    assert "Aucune commune n'a recensé ce produit." in empty


def test_renewals_page_lists_notice_deadlines_and_joint_purchases(world, signed_in,
                                                                 make_contract):
    soon = date.today() + timedelta(days=100)
    make_contract(world.alice, supplier="Orange", ends_on=soon, notice_months=0,
                  yearly_amount_cents=100000)
    make_contract(world.chloe, supplier="Orange", ends_on=soon, notice_months=0,
                  yearly_amount_cents=50000)
    make_contract(world.david, supplier="Canon", kind="printing",
                  ends_on=date.today() + timedelta(days=800))
    page = text_of(signed_in(world.david).get(url(world, "/renewals")))
    assert "Contrats qui se terminent dans les 12 prochains mois" in page
    assert soon.strftime("%d/%m/%Y") in page
    assert "Canon" not in page
    joint = page.split("Achats groupés possibles")[1]
    assert "Télécommunications" in joint and "1\u202f500,00 €" in joint
    assert "Orange (2)" in joint
    longer = text_of(signed_in(world.david).get(url(world, "/renewals?months=36")))
    assert "Canon" in longer


def test_demo_inventory_loads_once(app, runner):
    from workspace.demo import load_demo_data
    from workspace.demo.inventory import load_demo_inventory
    from workspace.inventory import service
    from workspace.networks.models import Network

    load_demo_data()
    db.session.commit()
    network = db.session.scalar(select(Network).where(Network.slug == "reseau-informatique"))
    contracts = db.session.scalar(select(func.count(InventoryContract.id)))
    assert contracts >= 10
    assert load_demo_inventory() is False
    assert db.session.scalar(select(func.count(InventoryContract.id))) == contracts
    zimbra = service.search_products(network, "zimbra")
    assert sum(len(group.communes) for group in zimbra) >= 3
    ending = service.ending_contracts(network, date.today(), 12)
    assert {c.supplier for c in ending} >= {"Orange", "SFR", "Canon"}


def test_index_shows_every_commune_to_whoever_has_no_lines(world, signed_in, make_contract):
    make_contract(world.chloe, supplier="SFR")
    for user in (world.alice, world.coordinator):
        page = text_of(signed_in(user).get(url(world)))
        assert "Inventaire de toutes les communes" in page and "SFR" in page


def test_notice_badges_say_today_in_days_or_passed(world, signed_in, make_contract):
    from workspace.inventory.views import _today

    today = _today()
    make_contract(supplier="Orange", ends_on=today, notice_months=0)
    make_contract(supplier="SFR", ends_on=today + timedelta(days=10), notice_months=0)
    make_contract(supplier="Free", ends_on=today + timedelta(days=400), notice_months=14)
    page = text_of(signed_in(world.alice).get(url(world, "/")))
    assert "aujourd'hui" in page or "aujourd&#39;hui" in page
    assert "dans 10 jours" in page and "dépassé" in page and "dans 0 jour" not in page
