"""Pages of the shared inventory: the communes' lines, product search, contracts ending soon,
and the forms to add and change lines. Import and export live in transfer_views.py."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workspace.communes.models import Organisation
from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.inputs import ID_MAX, parse_int, query_int
from workspace.core.models import utcnow
from workspace.core.timezones import PARIS
from workspace.extensions import db
from workspace.inventory import access, service
from workspace.inventory.forms import ContractForm, ItemForm
from workspace.inventory.labels import CONTRACT_KIND_LABELS, ITEM_KIND_LABELS
from workspace.inventory.models import InventoryContract, InventoryItem
from workspace.networks.access import network_object_or_404, network_scoped_blueprint, require

bp = network_scoped_blueprint("inventory", __name__, url_prefix="/inventory")


@bp.context_processor
def inventory_helpers():
    from workspace.inventory.values import format_amount

    labels = {"contract_kinds": CONTRACT_KIND_LABELS, "item_kinds": ITEM_KIND_LABELS,
              "euros": format_amount}
    if g.get("network") is None:  # the 404 page of an unknown network's address
        return labels
    return {**labels,
            "can_edit_line": lambda line: access.can_edit_line(current_user, g.network, line),
            "can_add_lines": access.can_add_lines(current_user, g.network)}


def _today():
    return utcnow().astimezone(PARIS).date()


def _selected_commune(communes: list[service.CommuneCount]) -> Organisation | None:
    """?commune=<id> (0 or nonsense: every commune); by default the user's own commune when
    it has lines, else every commune."""
    raw = request.args.get("commune")
    if raw is None:
        own = current_user.organisation_id
        listed = {entry.organisation.id for entry in communes}
        organisation_id = own if own in listed else None
    else:
        organisation_id = parse_int(raw, 1, ID_MAX)
    return db.session.get(Organisation, organisation_id) if organisation_id else None


@bp.get("/")
def inventory_index():
    communes = service.communes_overview(g.network)
    commune = _selected_commune(communes)
    organisation_id = commune.id if commune else None
    return render_template(
        "inventory/inventory_index.html", network=g.network, commune=commune,
        communes=communes, contracts=service.contracts_of(g.network, organisation_id),
        items=service.items_of(g.network, organisation_id),
        summary=service.summary_by_kind(service.contracts_of(g.network)),
        today=_today())


@bp.get("/products")
def product_search():
    query = (request.args.get("q") or "").strip()[:100]
    return render_template("inventory/product_search.html", network=g.network, query=query,
                           groups=service.search_products(g.network, query))


@bp.get("/renewals")
def contract_renewals():
    months = query_int("months", 12, 1, 36)
    today = _today()
    contracts = service.ending_contracts(g.network, today, months)
    return render_template("inventory/contract_renewals.html", network=g.network,
                           months=months, contracts=contracts, today=today,
                           summary=service.summary_by_kind(contracts))


# --- forms ---------------------------------------------------------------------------

def _communes_for_form() -> list[Organisation]:
    """Managers choose any commune; members only their own."""
    from workspace.networks.access import can_manage_network

    if can_manage_network(current_user, g.network):
        return service.organisations_choices()
    own = db.session.get(Organisation, current_user.organisation_id)
    return [own] if own else []


def _back(organisation_id: int | None):
    return redirect(url_for("inventory.inventory_index", commune=organisation_id or 0))


def _save(form, save, line, template: str, success: str):
    """Shared body of the contract and item forms: validate, save, commit, redirect."""
    if form.validate_on_submit():
        try:
            saved = save(current_user, g.network, line, form.to_data())
        except PermissionDenied:
            db.session.rollback()
            abort(403)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(success, "success")
            return _back(saved.organisation_id)
    return render_template(template, network=g.network, form=form, line=line)


def _contract_form(contract: InventoryContract | None) -> ContractForm:
    form = ContractForm(obj=contract, communes=_communes_for_form())
    if request.method == "GET":
        form.organisation_id.data = (contract.organisation_id if contract
                                     else current_user.organisation_id or 0)
        if contract is not None:
            form.yearly_amount.data = contract.yearly_amount_cents
    form.to_data = lambda: service.ContractData(
        organisation_id=form.organisation_id.data, kind=form.kind.data,
        supplier=form.supplier.data, subject=form.subject.data,
        starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        notice_months=form.notice_months.data or 0,
        yearly_amount_cents=form.yearly_amount.data, licence_count=form.licence_count.data,
        notes=form.notes.data or "")
    return form


@bp.route("/contracts/new", methods=["GET", "POST"])
def contract_create():
    require(access.can_add_lines(current_user, g.network))
    return _save(_contract_form(None), service.save_contract, None,
                 "inventory/contract_form.html", _("Le contrat est enregistré."))


@bp.route("/contracts/<int:contract_id>/edit", methods=["GET", "POST"])
def contract_edit(contract_id: int):
    contract = network_object_or_404(InventoryContract, contract_id)
    require(access.can_edit_line(current_user, g.network, contract))
    return _save(_contract_form(contract), service.save_contract, contract,
                 "inventory/contract_form.html", _("Le contrat est enregistré."))


def _item_form(item: InventoryItem | None) -> ItemForm:
    form = ItemForm(obj=item, communes=_communes_for_form())
    if request.method == "GET":
        form.organisation_id.data = (item.organisation_id if item
                                     else current_user.organisation_id or 0)
    form.to_data = lambda: service.ItemData(
        organisation_id=form.organisation_id.data, kind=form.kind.data,
        product=form.product.data, version=form.version.data or "",
        quantity=1 if form.quantity.data is None else form.quantity.data,
        notes=form.notes.data or "")
    return form


@bp.route("/items/new", methods=["GET", "POST"])
def item_create():
    require(access.can_add_lines(current_user, g.network))
    return _save(_item_form(None), service.save_item, None, "inventory/item_form.html",
                 _("La ligne est enregistrée."))


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
def item_edit(item_id: int):
    item = network_object_or_404(InventoryItem, item_id)
    require(access.can_edit_line(current_user, g.network, item))
    return _save(_item_form(item), service.save_item, item, "inventory/item_form.html",
                 _("La ligne est enregistrée."))


def _delete(line):
    require(access.can_edit_line(current_user, g.network, line))
    organisation_id = line.organisation_id
    service.delete_line(current_user, g.network, line)
    db.session.commit()
    flash(_("La ligne est supprimée."), "success")
    return _back(organisation_id)


@bp.post("/contracts/<int:contract_id>/delete")
def contract_delete(contract_id: int):
    return _delete(network_object_or_404(InventoryContract, contract_id))


@bp.post("/items/<int:item_id>/delete")
def item_delete(item_id: int):
    return _delete(network_object_or_404(InventoryItem, item_id))
