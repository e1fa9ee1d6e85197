"""The shared inventory through the real UI: a commune's correspondent adds a contract in
French formats, finds which communes use a product, sees the contracts ending soon, imports a
CSV file with a mistake (nothing imported, the line is named) then a correct one.

Every page visited is checked with axe-core (serious and critical violations fail the test).
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.helpers import AccessibilityAudit, flash, network_tab
from workspace.extensions import db
from workspace.inventory import service

pytestmark = pytest.mark.browser


def test_inventory_contract_search_renewals_and_import(page, make_user, make_network,
                                                       make_organisation, tmp_path):
    coulaines, allonnes = make_organisation("Coulaines"), make_organisation("Allonnes")
    thomas = make_user(first_name="Thomas", last_name="Bernard", organisation_id=coulaines.id)
    karim = make_user(first_name="Karim", last_name="Haddad", organisation_id=allonnes.id)
    network = make_network("Réseau informatique", members=[thomas, karim])
    service.save_item(karim, network, None, service.ItemData(
        organisation_id=allonnes.id, kind="software", product="Zimbra", version="8.8.15",
        quantity=80))
    db.session.commit()
    audit = AccessibilityAudit()
    sign_in(page, thomas.email)
    page.goto(f"/n/{network.slug}/")
    network_tab(page, "Inventaire").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(
        "Inventaire de toutes les communes")
    audit.check(page)

    page.get_by_role("link", name="Ajouter un contrat").click()
    audit.check(page)
    page.get_by_label("Type de contrat").select_option(label="Télécommunications")
    page.get_by_label("Fournisseur").fill("Orange")
    page.get_by_label("Objet").fill("Téléphonie fixe de la mairie")
    page.get_by_label("Date de fin").fill("31/12/2099")
    page.get_by_label("Montant annuel (€)").fill("1 234,567")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le montant a plus de deux décimales")).to_be_visible()
    audit.check(page)
    page.get_by_label("Montant annuel (€)").fill("1 234,56")
    end = date.today() + timedelta(days=90)
    page.get_by_label("Date de fin").fill(end.strftime("%d/%m/%Y"))
    page.get_by_label("Préavis (mois)").fill("2")
    page.get_by_role("button", name="Enregistrer").click()
    expect(flash(page)).to_contain_text("Le contrat est enregistré.")
    contracts = page.get_by_role("table", name="Contrats", exact=True)
    expect(contracts.get_by_role("cell", name="1\u202f234,56 €")).to_be_visible()

    page.get_by_role("link", name="Qui utilise quoi ?").click()
    page.get_by_label("Produit").fill("ZIMBRA")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("cell", name="Allonnes (80)")).to_be_visible()
    audit.check(page)

    page.get_by_role("link", name="Échéances des contrats").click()
    expect(page.get_by_role("cell", name="Téléphonie fixe de la mairie")).to_be_visible()
    audit.check(page)

    page.get_by_role("link", name="Importer").click()
    audit.check(page)
    bad = tmp_path / "inventaire.csv"
    bad.write_bytes("type;produit;quantite\nLogiciel;Alfresco;beaucoup\n".encode("cp1252"))
    page.get_by_label("Équipements et logiciels").check()
    page.get_by_label("Fichier CSV ou ODS").set_input_files(str(bad))
    page.get_by_role("button", name="Vérifier et importer").click()
    expect(page.get_by_role("alert").filter(has_text="Ligne 2")).to_contain_text(
        "Quantité : nombre entier attendu")
    audit.check(page)
    bad.write_bytes("type;produit;quantite\nLogiciel;Alfresco;1\n".encode("cp1252"))
    page.get_by_label("Équipements et logiciels").check()
    page.get_by_label("Fichier CSV ou ODS").set_input_files(str(bad))
    page.get_by_role("button", name="Vérifier et importer").click()
    expect(flash(page)).to_contain_text("1 ligne importée.")
    expect(page.get_by_role("link", name="Alfresco", exact=True)).to_be_visible()
    audit.check(page)
    audit.finish()
