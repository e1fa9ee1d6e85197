"""Inventory operations: save and delete lines, and the questions the network asks of them
(who uses this product, which contracts end soon, what could be bought together).

Services flush, never commit; the view commits once."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.models import utcnow
from workspace.core.text import fold, query_words
from workspace.extensions import db
from workspace.inventory.access import can_edit_commune
from workspace.inventory.models import CONTRACT_KINDS, ITEM_KINDS, InventoryContract, InventoryItem
from workspace.networks.models import Network

MAX_NOTICE_MONTHS = 120


@dataclass
class ContractData:
    organisation_id: int | None
    kind: str
    supplier: str
    subject: str
    starts_on: date | None = None
    ends_on: date | None = None
    notice_months: int = 0
    yearly_amount_cents: int | None = None
    licence_count: int | None = None
    notes: str = ""


@dataclass
class ItemData:
    organisation_id: int | None
    kind: str
    product: str
    version: str = ""
    quantity: int = 1
    notes: str = ""


def _clean(text: str | None, limit: int) -> str:
    return " ".join((text or "").split())[:limit]


def contract_problems(data: ContractData) -> list[str]:
    """What makes these values unacceptable (empty: fine). Also used by the import."""
    problems = []
    if data.kind not in CONTRACT_KINDS:
        problems.append(_("Type de contrat inconnu."))
    if not _clean(data.supplier, 120):
        problems.append(_("Le fournisseur est obligatoire."))
    if not _clean(data.subject, 200):
        problems.append(_("L'objet du contrat est obligatoire."))
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        problems.append(_("La date de fin précède la date de début."))
    if not 0 <= (data.notice_months or 0) <= MAX_NOTICE_MONTHS:
        problems.append(_("Le préavis va de 0 à %(n)d mois.", n=MAX_NOTICE_MONTHS))
    if data.yearly_amount_cents is not None and data.yearly_amount_cents < 0:
        problems.append(_("Le montant ne peut pas être négatif."))
    if data.licence_count is not None and data.licence_count < 0:
        problems.append(_("Le nombre de licences ne peut pas être négatif."))
    return problems


def item_problems(data: ItemData) -> list[str]:
    problems = []
    if data.kind not in ITEM_KINDS:
        problems.append(_("Type d'équipement inconnu."))
    if not _clean(data.product, 120):
        problems.append(_("Le produit est obligatoire."))
    if data.quantity is None or data.quantity < 0:
        problems.append(_("La quantité est un nombre entier positif ou nul."))
    return problems


def _check_commune(user: User, network: Network, organisation_id: int | None) -> None:
    if organisation_id is None or db.session.get(Organisation, organisation_id) is None:
        raise DomainError(_("Choisissez la commune concernée."))
    if not can_edit_commune(user, network, organisation_id):
        raise PermissionDenied(_("Vous ne pouvez modifier que l'inventaire de votre "
                                 "commune."))


def _check_line(user: User, network: Network, line) -> None:
    if line is not None and (line.network_id != network.id
                             or not can_edit_commune(user, network, line.organisation_id)):
        raise PermissionDenied(_("Vous ne pouvez modifier que l'inventaire de votre "
                                 "commune."))


def new_contract(network: Network, data: ContractData, user: User) -> InventoryContract:
    contract = InventoryContract(network_id=network.id)
    _fill_contract(contract, data, user)
    db.session.add(contract)
    return contract


def _fill_contract(contract: InventoryContract, data: ContractData, user: User) -> None:
    contract.organisation_id = data.organisation_id
    contract.kind, contract.supplier = data.kind, _clean(data.supplier, 120)
    contract.subject = _clean(data.subject, 200)
    contract.starts_on, contract.ends_on = data.starts_on, data.ends_on
    contract.notice_months = data.notice_months or 0
    contract.yearly_amount_cents, contract.licence_count = (data.yearly_amount_cents,
                                                            data.licence_count)
    contract.notes = (data.notes or "").strip()[:5000]
    contract.updated_by_id, contract.updated_at = user.id, utcnow()


def save_contract(user: User, network: Network, contract: InventoryContract | None,
                  data: ContractData) -> InventoryContract:
    """Create (contract None) or change a contract of a commune the user may edit."""
    _check_line(user, network, contract)
    _check_commune(user, network, data.organisation_id)
    problems = contract_problems(data)
    if problems:
        raise DomainError(" ".join(problems))
    if contract is None:
        contract = new_contract(network, data, user)
    else:
        _fill_contract(contract, data, user)
    db.session.flush()
    return contract


def new_item(network: Network, data: ItemData, user: User) -> InventoryItem:
    item = InventoryItem(network_id=network.id)
    _fill_item(item, data, user)
    db.session.add(item)
    return item


def _fill_item(item: InventoryItem, data: ItemData, user: User) -> None:
    item.organisation_id, item.kind = data.organisation_id, data.kind
    item.product = _clean(data.product, 120)
    item.product_key = fold(item.product)[:120]
    item.version = _clean(data.version, 60)
    item.quantity, item.notes = data.quantity, (data.notes or "").strip()[:5000]
    item.updated_by_id, item.updated_at = user.id, utcnow()


def save_item(user: User, network: Network, item: InventoryItem | None,
              data: ItemData) -> InventoryItem:
    _check_line(user, network, item)
    _check_commune(user, network, data.organisation_id)
    problems = item_problems(data)
    if problems:
        raise DomainError(" ".join(problems))
    if item is None:
        item = new_item(network, data, user)
    else:
        _fill_item(item, data, user)
    db.session.flush()
    return item


def delete_line(user: User, network: Network, line) -> None:
    _check_line(user, network, line)
    db.session.delete(line)
    db.session.flush()


# --- reading ---------------------------------------------------------------------------

@dataclass
class CommuneCount:
    organisation: Organisation
    contracts: int = 0
    items: int = 0


def communes_overview(network: Network) -> list[CommuneCount]:
    """Communes with lines in this network's inventory, by name, with their counts."""
    counts: dict[int, CommuneCount] = {}
    for model, attribute in ((InventoryContract, "contracts"), (InventoryItem, "items")):
        rows = db.session.execute(select(model.organisation_id, func.count(model.id))
                                  .where(model.network_id == network.id)
                                  .group_by(model.organisation_id))
        for organisation_id, count in rows:
            entry = counts.setdefault(organisation_id, CommuneCount(
                db.session.get(Organisation, organisation_id)))
            setattr(entry, attribute, count)
    return sorted(counts.values(), key=lambda entry: fold(entry.organisation.name))


def contracts_of(network: Network, organisation_id: int | None = None
                 ) -> list[InventoryContract]:
    query = select(InventoryContract).where(InventoryContract.network_id == network.id)
    if organisation_id is not None:
        query = query.where(InventoryContract.organisation_id == organisation_id)
    return list(db.session.scalars(query.join(InventoryContract.organisation)
                                   .options(contains_eager(InventoryContract.organisation))
                                   .order_by(Organisation.name, InventoryContract.kind,
                                             InventoryContract.supplier, InventoryContract.id)))


def items_of(network: Network, organisation_id: int | None = None) -> list[InventoryItem]:
    query = select(InventoryItem).where(InventoryItem.network_id == network.id)
    if organisation_id is not None:
        query = query.where(InventoryItem.organisation_id == organisation_id)
    return list(db.session.scalars(query.join(InventoryItem.organisation)
                                   .options(contains_eager(InventoryItem.organisation))
                                   .order_by(Organisation.name, InventoryItem.kind,
                                             InventoryItem.product_key, InventoryItem.id)))


@dataclass
class ProductGroup:
    product: str
    version: str
    kind: str
    communes: list[tuple[str, int]] = field(default_factory=list)  # (commune, quantity)

    @property
    def total_quantity(self) -> int:
        return sum(quantity for _, quantity in self.communes)


def search_products(network: Network, query: str | None) -> list[ProductGroup]:
    """Which communes use this product? Words compared without case or accents; one group
    per product and version, communes by name."""
    statement = select(InventoryItem).where(InventoryItem.network_id == network.id).options(
        joinedload(InventoryItem.organisation))
    for word in query_words(query)[:10]:
        statement = statement.where(InventoryItem.product_key.contains(word, autoescape=True))
    groups: dict[tuple[str, str], ProductGroup] = {}
    spellings: dict[tuple[str, str], Counter] = defaultdict(Counter)
    quantities: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for item in db.session.scalars(statement.order_by(InventoryItem.id).limit(5000)):
        key = (item.product_key, fold(item.version))
        spellings[key][item.product] += 1
        quantities[key][item.organisation.name] += item.quantity
        groups.setdefault(key, ProductGroup(item.product, item.version, item.kind))
    for key, group in groups.items():
        group.product = spellings[key].most_common(1)[0][0]
        group.communes = sorted(quantities[key].items(), key=lambda pair: fold(pair[0]))
    return sorted(groups.values(), key=lambda g: (fold(g.product), _version_key(g.version)))


def _version_key(version: str) -> tuple:
    """"10" after "9": numbers compared as numbers."""
    parts = fold(version).replace(" ", ".").split(".")
    # isdecimal, not isdigit: int() refuses "²", which isdigit accepts
    return tuple((0, int(part), "") if part.isdecimal() else (1, 0, part) for part in parts)


def ending_contracts(network: Network, today: date, months: int = 12
                     ) -> list[InventoryContract]:
    """Contracts ending from today to `months` months ahead, most urgent notice first."""
    horizon = today + relativedelta(months=months)
    contracts = db.session.scalars(select(InventoryContract).where(
        InventoryContract.network_id == network.id, InventoryContract.ends_on >= today,
        InventoryContract.ends_on <= horizon).options(joinedload(InventoryContract.organisation)))
    return sorted(contracts, key=lambda c: (c.notice_deadline, fold(c.organisation.name)))


@dataclass
class KindSummary:
    kind: str
    communes: set[str] = field(default_factory=set)
    contracts: int = 0
    total_cents: int = 0
    unknown_amounts: int = 0
    suppliers: Counter = field(default_factory=Counter)

    @property
    def supplier_list(self) -> list[tuple[str, int]]:
        return sorted(self.suppliers.items(), key=lambda pair: (-pair[1], fold(pair[0])))

    @property
    def commune_names(self) -> list[str]:
        return sorted(self.communes, key=fold)


def summary_by_kind(contracts: list[InventoryContract]) -> list[KindSummary]:
    """Per kind of contract: communes, total yearly amount, suppliers (most frequent first):
    where several communes buy the same thing, a joint purchase may pay."""
    summaries: dict[str, KindSummary] = {}
    for contract in contracts:
        summary = summaries.setdefault(contract.kind, KindSummary(contract.kind))
        summary.communes.add(contract.organisation.name)
        summary.contracts += 1
        if contract.yearly_amount_cents is None:
            summary.unknown_amounts += 1
        else:
            summary.total_cents += contract.yearly_amount_cents
        summary.suppliers[contract.supplier] += 1
    order = {kind: index for index, kind in enumerate(CONTRACT_KINDS)}
    return sorted(summaries.values(), key=lambda s: (-len(s.communes), order.get(s.kind, 99)))


def organisations_choices() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).where(
        Organisation.is_archived.is_(False)).order_by(Organisation.name)))
