"""Import and export of inventory lines as CSV or ODS.

An import is all or nothing: the whole file is read and every row checked (columns, commune,
type, dates, amounts, counts, cells that a spreadsheet would run as formulas) before anything
is written; one wrong row imports nothing, and each problem names its line. "Replace" mode
deletes the lines of the communes present in the file only once the whole file is valid, in
the same transaction as the new lines."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import delete, select

from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.core.errors import DomainError
from workspace.extensions import db
from workspace.inventory import service
from workspace.inventory.access import can_edit_commune
from workspace.inventory.labels import CONTRACT_KIND_LABELS, ITEM_KIND_LABELS
from workspace.inventory.models import InventoryContract, InventoryItem
from workspace.inventory.tabular import FORMULA, Money, read_table
from workspace.inventory.values import looks_like_formula, parse_amount, parse_count, parse_date
from workspace.networks.models import Network

CONTRACTS, ITEMS = "contrats", "equipements"
TABLES = (CONTRACTS, ITEMS)
COLUMNS = {
    CONTRACTS: ("commune", "type", "fournisseur", "objet", "date_debut", "date_fin",
                "preavis_mois", "montant_annuel", "licences", "notes"),
    ITEMS: ("commune", "type", "produit", "version", "quantite", "notes"),
}
REQUIRED = {CONTRACTS: ("type", "fournisseur", "objet"), ITEMS: ("type", "produit")}
COMPUTED = {CONTRACTS: ("date_limite_preavis",), ITEMS: ()}  # exported, ignored on import
ALIASES = {
    "organisation": "commune", "kind": "type", "supplier": "fournisseur",
    "prestataire": "fournisseur", "subject": "objet", "debut": "date_debut",
    "date_de_debut": "date_debut", "fin": "date_fin", "date_de_fin": "date_fin",
    "echeance": "date_fin", "preavis": "preavis_mois", "preavis_en_mois": "preavis_mois",
    "montant": "montant_annuel", "montant_annuel_eur": "montant_annuel",
    "montant_annuel_ttc": "montant_annuel", "cout_annuel": "montant_annuel",
    "nombre_de_licences": "licences", "licence": "licences", "product": "produit",
    "logiciel_ou_materiel": "produit", "quantity": "quantite", "qte": "quantite",
    "nombre": "quantite", "remarques": "notes", "commentaire": "notes",
    "date_limite_de_preavis": "date_limite_preavis",
}
KIND_ALIASES = {
    CONTRACTS: {"telecom": "telecoms", "telecoms": "telecoms", "telephonie": "telecoms",
                "telecommunication": "telecoms", "logiciels": "software",
                "maintenance": "maintenance", "impression": "printing",
                "copieurs": "printing", "copieur": "printing", "autres": "other"},
    ITEMS: {"materiel": "hardware", "logiciels": "software", "reseau": "network",
            "telephonie": "network", "imprimante": "printer", "copieur": "printer",
            "autres": "other"},
}
TEXT_LIMITS = {"fournisseur": 120, "objet": 200, "produit": 120, "version": 60, "notes": 5000}
_NEGATIVE_NUMBER = re.compile(r"-[\d\s.,]+")
EXAMPLE = {CONTRACTS: "Exemple à supprimer", ITEMS: "Exemple à supprimer"}


@dataclass
class ImportRow:
    line: int
    data: service.ContractData | service.ItemData


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)  # (line, message)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def fail(self, message: str) -> ImportResult:
        self.rows = []
        self.errors.append((None, message))
        return self


def _kinds(table: str) -> dict[str, str]:
    """Codes, French labels and the reader's labels, slugified -> kind code."""
    labels = CONTRACT_KIND_LABELS if table == CONTRACTS else ITEM_KIND_LABELS
    known = {slugify(code): code for code in labels}
    known.update({slugify(str(label)): code for code, label in labels.items()})
    with force_locale("fr"):
        known.update({slugify(str(label)): code for code, label in labels.items()})
    known.update(KIND_ALIASES[table])
    return known


def _column_name(cell: str) -> str:
    name = slugify(cell.lstrip("'"), separator="_")
    return ALIASES.get(name, name)


def _read_header(table: str, cells: list[str]) -> tuple[list[str], str | None]:
    names = [_column_name(cell) for cell in cells]
    allowed = set(COLUMNS[table]) | set(COMPUTED[table])
    unknown = [cell for cell, name in zip(cells, names, strict=False)
               if name not in allowed and cell]
    missing = [name for name in REQUIRED[table] if name not in names]
    doubled = sorted({name for name in names if name and names.count(name) > 1})
    if not (unknown or missing or doubled):
        return names, None
    details = []
    if missing:
        details.append(_("colonnes manquantes : %(names)s", names=", ".join(missing)))
    if unknown:
        details.append(_("colonnes inconnues : %(names)s",
                         names=", ".join(f"« {cell[:40]} »" for cell in unknown[:10])))
    if doubled:
        details.append(_("colonnes en double : %(names)s", names=", ".join(doubled)))
    return names, _("La première ligne doit donner les noms des colonnes : %(expected)s "
                    "(%(details)s). Téléchargez le modèle pour partir d'un fichier correct.",
                    expected=" ; ".join(COLUMNS[table]), details=" ; ".join(details))


def read_import(data: bytes, table: str, user: User, network: Network,
                default_organisation_id: int | None) -> ImportResult:
    """Read and check a whole file; `rows` are ready to store only when `errors` is empty."""
    result = ImportResult()
    sheet = read_table(data)
    if sheet.error:
        return result.fail(sheet.error)
    if not sheet.rows:
        return result.fail(_("Le fichier est vide."))
    header, records = sheet.rows[0][1], sheet.rows[1:]
    columns, problem = _read_header(table, header)
    if problem:
        return result.fail(problem)
    if not records:
        return result.fail(_("Le fichier ne contient aucune ligne après celle des colonnes."))
    checker = _RowChecker(table, user, network, default_organisation_id)
    for line, cells in records:
        data_or_problems = checker.check(columns, cells)
        if isinstance(data_or_problems, list):
            result.errors += [(line, message) for message in data_or_problems]
        else:
            result.rows.append(ImportRow(line, data_or_problems))
    if result.errors:
        result.rows = []
    return result


class _RowChecker:
    def __init__(self, table: str, user: User, network: Network, default_id: int | None):
        self.table, self.user, self.network, self.default_id = table, user, network, default_id
        self.kinds = _kinds(table)
        self.organisations = {slugify(o.name): o for o in db.session.scalars(
            select(Organisation).where(Organisation.is_archived.is_(False)))}

    def check(self, columns: list[str], cells: list[str]):
        """The row's data, or the list of what is wrong with it."""
        problems: list[str] = []
        if len(cells) > len(columns) and any(cells[len(columns):]):
            problems.append(_("Plus de valeurs que de colonnes (un séparateur en trop ?)."))
        values: dict[str, str] = {}
        for name, cell in zip(columns, cells, strict=False):
            if name in COMPUTED[self.table]:
                continue
            value, problem = _unformula(name, cell)
            if problem:
                problems.append(problem)
            values[name] = value
            limit = TEXT_LIMITS.get(name)
            if limit and len(value) > limit:
                problems.append(_("La colonne « %(column)s » dépasse %(n)d caractères.",
                                  column=name, n=limit))
        organisation_id = self._organisation(values.get("commune", ""), problems)
        kind = self.kinds.get(slugify(values.get("type", "")))
        if kind is None:
            problems.append(_("Type inconnu : « %(value)s ». Types possibles : %(kinds)s.",
                              value=values.get("type", "")[:40], kinds=", ".join(
                                  str(label) for label in (CONTRACT_KIND_LABELS
                                                           if self.table == CONTRACTS
                                                           else ITEM_KIND_LABELS).values())))
        data = (self._contract(values, organisation_id, kind, problems)
                if self.table == CONTRACTS else self._item(values, organisation_id, kind,
                                                           problems))
        if not problems and kind is not None:
            problems += (service.contract_problems(data) if self.table == CONTRACTS
                         else service.item_problems(data))
        return problems or data

    def _organisation(self, name: str, problems: list[str]) -> int | None:
        if not name:
            organisation_id = self.default_id
            if organisation_id is None:
                problems.append(_("Indiquez la commune (colonne « commune »)."))
                return None
        else:
            organisation = self.organisations.get(slugify(name))
            if organisation is None:
                problems.append(_("Commune inconnue : « %(name)s ».", name=name[:80]))
                return None
            organisation_id = organisation.id
        if not can_edit_commune(self.user, self.network, organisation_id):
            problems.append(_("Vous ne pouvez importer que des lignes de votre commune "
                              "(« %(name)s » n'est pas la vôtre).", name=name[:80]))
        return organisation_id

    def _contract(self, values, organisation_id, kind, problems) -> service.ContractData:
        if values.get("fournisseur") == EXAMPLE[CONTRACTS]:
            problems.append(_("C'est la ligne d'exemple du modèle : supprimez-la."))
        return service.ContractData(
            organisation_id=organisation_id, kind=kind or "", supplier=values.get(
                "fournisseur", ""), subject=values.get("objet", ""),
            starts_on=_parsed(parse_date, values.get("date_debut"), problems),
            ends_on=_parsed(parse_date, values.get("date_fin"), problems),
            notice_months=_parsed(lambda v: parse_count(v, _("Préavis (mois)"), 120, 0),
                                  values.get("preavis_mois"), problems) or 0,
            yearly_amount_cents=_parsed(parse_amount, values.get("montant_annuel"), problems),
            licence_count=_parsed(lambda v: parse_count(v, _("Licences")),
                                  values.get("licences"), problems),
            notes=values.get("notes", ""))

    def _item(self, values, organisation_id, kind, problems) -> service.ItemData:
        if values.get("produit") == EXAMPLE[ITEMS]:
            problems.append(_("C'est la ligne d'exemple du modèle : supprimez-la."))
        quantity = _parsed(lambda v: parse_count(v, _("Quantité"), default=1),
                           values.get("quantite"), problems)
        return service.ItemData(organisation_id=organisation_id, kind=kind or "",
                                product=values.get("produit", ""),
                                version=values.get("version", ""),
                                quantity=1 if quantity is None else quantity,
                                notes=values.get("notes", ""))


def _unformula(column: str, cell: str) -> tuple[str, str | None]:
    """A cell's value once an explicit text mark (') is removed, or a problem when the cell
    is a formula or would become one in a spreadsheet."""
    if cell == FORMULA:
        return "", _("La colonne « %(column)s » contient une formule de tableur : "
                     "remplacez-la par sa valeur.", column=column)
    if cell.startswith("'") and looks_like_formula(cell[1:]):
        return cell[1:], None  # the spreadsheet's own "this is text" mark
    if looks_like_formula(cell) and not _NEGATIVE_NUMBER.fullmatch(cell):
        return "", _("La colonne « %(column)s » commence par « %(sign)s » : un tableur la "
                     "prendrait pour une formule (« %(value)s »). Retirez ce signe, ou "
                     "faites-le précéder d'une apostrophe pour garder le texte tel quel.",
                     column=column, sign=cell[0].replace("\t", "tab").replace("\r", "CR"),
                     value=cell[:40])
    return cell, None


def _parsed(parse, value: str | None, problems: list[str]):
    try:
        return parse(value)
    except DomainError as error:
        problems.append(error.message)
        return None


def store_import(user: User, network: Network, table: str, rows: list[ImportRow],
                 replace: bool) -> int:
    """Add the checked rows (and, in replace mode, first delete the existing lines of the
    communes present in the file). Flushes; the caller commits once."""
    model = InventoryContract if table == CONTRACTS else InventoryItem
    if replace:
        communes = {row.data.organisation_id for row in rows}
        db.session.execute(delete(model).where(model.network_id == network.id,
                                               model.organisation_id.in_(communes)))
    create = service.new_contract if table == CONTRACTS else service.new_item
    for row in rows:
        create(network, row.data, user)
    db.session.flush()
    return len(rows)


# --- export ----------------------------------------------------------------------------

def export_rows(network: Network, table: str, organisation_id: int | None
                ) -> tuple[list[str], list[list]]:
    """Header and rows in the import's columns, so an export can be edited and imported back."""
    if table == CONTRACTS:
        header = list(COLUMNS[CONTRACTS]) + list(COMPUTED[CONTRACTS])
        rows = [[c.organisation.name, str(CONTRACT_KIND_LABELS.get(c.kind, c.kind)),
                 c.supplier, c.subject, c.starts_on, c.ends_on, c.notice_months,
                 Money(c.yearly_amount_cents) if c.yearly_amount_cents is not None else None,
                 c.licence_count, c.notes, c.notice_deadline]
                for c in service.contracts_of(network, organisation_id)]
    else:
        header = list(COLUMNS[ITEMS])
        rows = [[i.organisation.name, str(ITEM_KIND_LABELS.get(i.kind, i.kind)), i.product,
                 i.version, i.quantity, i.notes]
                for i in service.items_of(network, organisation_id)]
    return header, rows


def template_rows(table: str) -> tuple[list[str], list[list]]:
    from datetime import date

    if table == CONTRACTS:
        return list(COLUMNS[CONTRACTS]), [[
            "Coulaines", str(CONTRACT_KIND_LABELS["telecoms"]), EXAMPLE[CONTRACTS],
            "Téléphonie fixe et accès internet de la mairie", date(2024, 1, 1),
            date(2027, 12, 31), 3, Money(123456), None, "Renouvellement tacite"]]
    return list(COLUMNS[ITEMS]), [[
        "Coulaines", str(ITEM_KIND_LABELS["software"]), EXAMPLE[ITEMS], "8.8.15", 25,
        "Messagerie mutualisée"]]
