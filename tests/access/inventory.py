"""Access expectations of the inventory routes.

The member belongs to Coulaines and the lines built here are Coulaines's, so the member may
change them; the coordinator (no commune) and the administrator change every line. Changing
another commune's line is refused with 403: see tests/inventory/test_access.py."""
from __future__ import annotations

from tests.access.common import LOGIN, admin_only, expect, in_network, signed_in  # noqa: F401

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("inventory.inventory_index", "GET"): in_network(200, 200),
    ("inventory.product_search", "GET"): in_network(200, 200),
    ("inventory.contract_renewals", "GET"): in_network(200, 200),
    ("inventory.contract_create", "GET"): in_network(200, 200),
    ("inventory.contract_create", "POST"): in_network(200, 200),  # empty: the form says why
    ("inventory.contract_edit", "GET"): in_network(200, 200),
    ("inventory.contract_edit", "POST"): in_network(302, 302),  # nothing sent: kept as is
    ("inventory.contract_delete", "POST"): in_network(302, 302),
    ("inventory.item_create", "GET"): in_network(200, 200),
    ("inventory.item_create", "POST"): in_network(200, 200),
    ("inventory.item_edit", "GET"): in_network(200, 200),
    ("inventory.item_edit", "POST"): in_network(302, 302),
    ("inventory.item_delete", "POST"): in_network(302, 302),
    ("inventory.inventory_export", "GET"): in_network(200, 200),
    ("inventory.import_template", "GET"): in_network(200, 200),
    ("inventory.inventory_import", "GET"): in_network(200, 200),
    ("inventory.inventory_import", "POST"): in_network(200, 200),  # no file: the form says so
}


def build(users: dict, private, values: dict) -> dict:
    """Create this feature's objects in the private network; return the URL values."""
    from workspace.inventory import service

    member = users["member"]
    contract = service.save_contract(member, private, None, service.ContractData(
        organisation_id=member.organisation_id, kind="telecoms", supplier="Orange",
        subject="Téléphonie fixe"))
    item = service.save_item(member, private, None, service.ItemData(
        organisation_id=member.organisation_id, kind="software", product="Zimbra",
        version="8.8.15", quantity=40))
    return {"contract_id": contract.id, "item_id": item.id, "table": "contrats",
            "ext": "ods"}
