"""Who may open and change which inventory page: outsiders of a private network get 404 on
every URL, a commune's member may not change another commune's lines (403, nothing changed),
lines of another network are 404, coordinators change every line."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.inventory.conftest import url
from workspace.extensions import db
from workspace.inventory.models import InventoryContract, InventoryItem

PAGES = [("GET", "/"), ("GET", "/products?q=zimbra"), ("GET", "/renewals"),
         ("GET", "/contracts/new"), ("POST", "/contracts/new"),
         ("GET", "/contracts/{contract}/edit"), ("POST", "/contracts/{contract}/edit"),
         ("POST", "/contracts/{contract}/delete"), ("GET", "/items/new"),
         ("POST", "/items/new"), ("GET", "/items/{item}/edit"), ("POST", "/items/{item}/edit"),
         ("POST", "/items/{item}/delete"), ("GET", "/export/contrats.csv"),
         ("GET", "/export/equipements.ods"), ("GET", "/import/modele-contrats.ods"),
         ("GET", "/import"), ("POST", "/import")]
CONTRACT_FORM = {"organisation_id": "0", "kind": "telecoms", "supplier": "Intrus",
                 "subject": "Intrus", "notice_months": "0"}


@pytest.fixture
def lines(world, make_contract, make_item):
    return make_contract(world.chloe, supplier="SFR"), make_item(world.chloe, product="Alfresco")


def _counts():
    return (db.session.scalar(select(func.count(InventoryContract.id))),
            db.session.scalar(select(func.count(InventoryItem.id))))


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_outsiders_of_a_private_network_get_404_everywhere(world, signed_in, lines, method,
                                                          path):
    contract, item = lines
    client = signed_in(world.outsider)
    data = dict(CONTRACT_FORM, organisation_id=str(world.chloe.organisation_id),
                product="Intrus", file=(io.BytesIO(b"type;produit\nLogiciel;X\n"), "x.csv"),
                table="equipements")
    response = client.open(url(world, path.format(contract=contract.id, item=item.id)),
                           method=method, data=data)
    assert response.status_code == 404
    assert _counts() == (1, 1)


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p in PAGES if "{" in p])
def test_member_may_not_change_another_communes_lines(world, signed_in, lines, method, path):
    contract, item = lines
    before = (contract.supplier, item.product)
    response = signed_in(world.alice).open(
        url(world, path.format(contract=contract.id, item=item.id)), method=method,
        data=dict(CONTRACT_FORM, organisation_id=str(world.alice.organisation_id),
                  product="Volé"))
    assert response.status_code == 403
    db.session.expire_all()
    assert _counts() == (1, 1)
    assert (db.session.get(InventoryContract, contract.id).supplier,
            db.session.get(InventoryItem, item.id).product) == before


def test_member_reads_other_communes_lines_without_edit_buttons(world, signed_in, lines):
    contract, _item = lines
    page = signed_in(world.alice).get(url(world, f"/?commune={world.chloe.organisation_id}"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "SFR" in html and "Alfresco" in html
    assert f"/contracts/{contract.id}/edit" not in html
    own = signed_in(world.chloe).get(url(world, f"/?commune={world.chloe.organisation_id}"))
    assert f"/contracts/{contract.id}/edit" in own.get_data(as_text=True)


def test_member_may_not_create_lines_for_another_commune(world, signed_in):
    response = signed_in(world.alice).post(url(world, "/contracts/new"), data=dict(
        CONTRACT_FORM, organisation_id=str(world.chloe.organisation_id)))
    assert response.status_code == 200  # the commune is not among the member's choices
    assert _counts() == (0, 0)


def test_coordinator_changes_every_communes_lines(world, signed_in, lines):
    contract, item = lines
    client = signed_in(world.coordinator)
    response = client.post(url(world, f"/contracts/{contract.id}/edit"), data=dict(
        CONTRACT_FORM, organisation_id=str(world.chloe.organisation_id), supplier="SFR Business",
        subject="Fibre"))
    assert response.status_code == 302
    assert client.post(url(world, f"/items/{item.id}/delete")).status_code == 302
    db.session.expire_all()
    assert db.session.get(InventoryContract, contract.id).supplier == "SFR Business"
    assert _counts() == (1, 0)


def test_member_without_commune_may_read_but_not_add(world, signed_in, make_user):
    from workspace.networks.models import Membership

    nobody = make_user()
    db.session.add(Membership(network=world.network, user=nobody))
    db.session.commit()
    client = signed_in(nobody)
    assert client.get(url(world)).status_code == 200
    assert client.get(url(world, "/contracts/new")).status_code == 403
    assert client.get(url(world, "/import")).status_code == 403


@pytest.mark.parametrize("path", ["/contracts/{id}/edit", "/contracts/{id}/delete",
                                  "/items/{id}/edit", "/items/{id}/delete"])
def test_lines_of_another_network_or_unknown_are_404(world, signed_in, make_network,
                                                     make_contract, make_item, path):
    other = make_network("Réseau voirie", members=[world.alice],
                         coordinators=[world.coordinator])
    foreign = (make_contract(world.alice, network=other) if "contracts" in path
               else make_item(world.alice, network=other))
    client = signed_in(world.coordinator)
    method = "POST" if "delete" in path else "GET"
    for line_id in (foreign.id, 987654, 2**64):
        assert client.open(url(world, path.format(id=line_id)), method=method).status_code \
            == 404, line_id
    assert _counts() == ((1, 0) if "contracts" in path else (0, 1))


@pytest.mark.parametrize("path", ["/export/contrats.pdf", "/export/autre.csv",
                                  "/import/modele-autre.csv", "/import/modele-contrats.xlsx"])
def test_unknown_export_formats_are_404(world, signed_in, path):
    assert signed_in(world.alice).get(url(world, path)).status_code == 404


def test_readers_of_an_open_network_may_read_but_not_write(world, signed_in, lines):
    world.network.is_private = False
    db.session.commit()
    client = signed_in(world.outsider)
    assert client.get(url(world)).status_code == 200
    assert client.get(url(world, "/export/contrats.csv")).status_code == 200
    assert client.get(url(world, "/contracts/new")).status_code == 403
    assert client.post(url(world, f"/contracts/{lines[0].id}/delete")).status_code == 403
    assert _counts() == (1, 1)


@pytest.mark.parametrize("query", ["?commune=abc", "?commune=-1", "?commune=99999999999999999",
                                   "?commune=0"])
def test_odd_query_strings_never_fail(world, signed_in, lines, query):
    client = signed_in(world.alice)
    assert client.get(url(world, "/" + query)).status_code == 200
    assert client.get(url(world, "/export/contrats.csv" + query)).status_code == 200
    assert client.get(url(world, "/renewals?months=abc")).status_code == 200
    assert client.get(url(world, "/renewals?months=-5")).status_code == 200
    assert client.get(url(world, "/products?q=" + "x" * 5000)).status_code == 200
