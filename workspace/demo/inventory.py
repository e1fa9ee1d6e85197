"""Demo inventory of the IT network: the contracts, equipment and software of a few communes
(Zimbra, Alfresco, telecoms with Orange, SFR and Bouygues Telecom, copiers...). End dates are
relative to the day of loading, so that "contracts ending in the next 12 months" and the
renewal reminders have something to show."""
from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from slugify import slugify
from sqlalchemy import select

from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.extensions import db
from workspace.inventory import service
from workspace.inventory.models import InventoryContract
from workspace.networks.models import Network

NETWORK_SLUG = "reseau-informatique"
COORDINATOR = "coordination.informatique@demo.lemansmetropole.fr"

# (commune, kind, supplier, subject, months from today to the end, contract years,
#  notice months, yearly amount in cents, licences, notes)
CONTRACTS = [
    ("Coulaines", "telecoms", "Orange", "Téléphonie fixe et accès internet (mairie, écoles)",
     5, 3, 3, 1_284_000, None, "Offre Business Everywhere ; 14 lignes analogiques."),
    ("Coulaines", "telecoms", "Bouygues Telecom", "Flotte mobile (22 lignes)", 14, 2, 1,
     396_000, None, ""),
    ("Coulaines", "printing", "Canon", "Location et maintenance de 4 copieurs multifonctions",
     8, 5, 6, 912_050, None, "Coût à la page inclus : 0,004 € N&B, 0,04 € couleur."),
    ("Coulaines", "software", "Berger-Levrault", "e.magnus Gestion financière et RH", 20, 3,
     6, 1_450_000, 12, ""),
    ("Allonnes", "telecoms", "SFR", "Téléphonie fixe, liens fibre entre sites", 3, 3, 2,
     1_875_000, None, "Trois sites reliés en fibre noire."),
    ("Allonnes", "telecoms", "Orange", "Flotte mobile (35 lignes)", 10, 2, 1, 540_000, None,
     ""),
    ("Allonnes", "printing", "Ricoh", "Copieurs (6) : location et maintenance", 11, 5, 6,
     1_230_000, None, ""),
    ("Allonnes", "maintenance", "Inmac Wstore", "Maintenance des postes et serveurs", 26, 3,
     3, 680_000, None, ""),
    ("Mulsanne", "telecoms", "Orange", "Téléphonie fixe et internet de la mairie", 7, 3, 3,
     612_000, None, ""),
    ("Mulsanne", "printing", "Canon", "Copieur de la mairie et de l'école", 2, 4, 3, 318_000,
     None, "Reconduction tacite d'un an sans dénonciation."),
    ("Mulsanne", "software", "JVS-Mairistem", "Logiciels état civil, élections, finances", 15,
     3, 3, 420_000, 4, ""),
    ("Arnage", "telecoms", "Bouygues Telecom", "Téléphonie fixe (trunk SIP) et mobiles", 9, 3,
     3, 1_020_000, None, ""),
    ("Arnage", "maintenance", "Dell Technologies", "Extension de garantie des serveurs", 4,
     3, 1, 190_000, None, "Deux serveurs de 2019."),
]
# (commune, kind, product, version, quantity, notes)
ITEMS = [
    ("Coulaines", "software", "Zimbra", "8.8.15", 45, "Messagerie mutualisée."),
    ("Coulaines", "software", "Alfresco", "7.2", 1, "GED du service urbanisme."),
    ("Coulaines", "hardware", "Poste de travail Dell OptiPlex", "7010", 38, ""),
    ("Coulaines", "printer", "Copieur Canon imageRUNNER", "C3226i", 4, ""),
    ("Allonnes", "software", "Zimbra", "8.8.15", 80, ""),
    ("Allonnes", "software", "Alfresco", "6.2", 1, "Montée de version à prévoir."),
    ("Allonnes", "network", "Pare-feu Stormshield", "SN310", 2, ""),
    ("Allonnes", "printer", "Copieur Ricoh", "IM C3000", 6, ""),
    ("Mulsanne", "software", "Zimbra", "9.0", 20, ""),
    ("Mulsanne", "software", "Microsoft Office", "2019", 18, ""),
    ("Mulsanne", "printer", "Copieur Canon imageRUNNER", "C3226i", 2, ""),
    ("Arnage", "software", "Alfresco", "7.2", 1, ""),
    ("Arnage", "software", "LibreOffice", "7.6", 30, "Déployé sur tous les postes."),
    ("Arnage", "network", "Pare-feu Stormshield", "SN310", 1, ""),
]


def load_demo_inventory() -> bool:
    network = db.session.scalar(select(Network).where(Network.slug == NETWORK_SLUG))
    coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
    if network is None or coordinator is None:
        return False
    if db.session.scalar(select(InventoryContract.id).where(
            InventoryContract.network_id == network.id).limit(1)) is not None:
        return False  # already loaded (or filled in by hand): leave it alone
    communes = {o.name: o for o in db.session.scalars(select(Organisation).where(
        Organisation.slug.in_({slugify(row[0]) for row in CONTRACTS + ITEMS})))}
    today = date.today()
    for (commune, kind, supplier, subject, months, years, notice, cents, licences,
         notes) in CONTRACTS:
        ends_on = today + relativedelta(months=months) - timedelta(days=today.day - 1)
        ends_on = ends_on + relativedelta(day=31)  # contracts end on a month's last day
        service.save_contract(coordinator, network, None, service.ContractData(
            organisation_id=communes[commune].id, kind=kind, supplier=supplier,
            subject=subject, starts_on=ends_on - relativedelta(years=years) + timedelta(1),
            ends_on=ends_on, notice_months=notice, yearly_amount_cents=cents,
            licence_count=licences, notes=notes))
    for commune, kind, product, version, quantity, notes in ITEMS:
        service.save_item(coordinator, network, None, service.ItemData(
            organisation_id=communes[commune].id, kind=kind, product=product,
            version=version, quantity=quantity, notes=notes))
    return True
