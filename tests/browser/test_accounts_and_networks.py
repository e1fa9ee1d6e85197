"""What people do with their account, the networks and the directory, through the real UI.

Every page visited is checked with axe-core (serious and critical violations fail the test).
"""
from __future__ import annotations

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, sign_in, sign_out
from tests.browser.helpers import network_tab
from tests.conftest import PASSWORD
from workspace.auth.models import FUNCTION_ELECTED, FUNCTION_IT

pytestmark = pytest.mark.browser


def main_navigation(page: Page):
    """The header's navigation, found without its (translated) name."""
    return page.locator("header").get_by_role("navigation")


def body_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_sign_in_with_email_and_password(page: Page, live_server, make_user):
    make_user(email="camille.durand@allonnes.fr", first_name="Camille", last_name="Durand")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    check_accessibility(page)

    page.get_by_label("Adresse e-mail").fill("camille.durand@allonnes.fr")
    page.get_by_label("Mot de passe", exact=True).fill("not my password at all")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_have_text("Adresse e-mail ou mot de passe incorrect.")
    expect(page.get_by_label("Adresse e-mail")).to_have_value("camille.durand@allonnes.fr")
    check_accessibility(page)

    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Camille")
    check_accessibility(page)


def test_join_request_approved_by_the_coordinator(open_page, make_user, make_network,
                                                  make_organisation, mailbox):
    allonnes, sarge = make_organisation("Allonnes"), make_organisation("Sargé-lès-le-Mans")
    coordinator = make_user(email="claire.martin@allonnes.fr", first_name="Claire",
                            last_name="Martin", organisation=allonnes)
    requester = make_user(email="paul.leroy@sarge.fr", first_name="Paul", last_name="Leroy",
                          organisation=sarge, network_function=FUNCTION_IT)
    network = make_network("Informatique", coordinators=[coordinator], is_private=True,
                           summary="Les correspondants informatiques des communes.")
    make_network("Patrimoine bâti", members=[requester])
    slug, note = network.slug, "Bonjour, je suis le nouveau correspondant informatique de Sargé."

    # Paul cannot see the private network yet: it answers "not found", not "forbidden"
    paul = open_page()
    sign_in(paul, requester.email)
    response = paul.goto(f"/n/{slug}/")
    assert response is not None and response.status == 404
    expect(paul.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    check_accessibility(paul)

    main_navigation(paul).get_by_role("link", name="Réseaux", exact=True).click()
    expect(paul.get_by_role("heading", level=1)).to_have_text("Réseaux")
    check_accessibility(paul)
    paul.get_by_role("link", name="Demander à rejoindre Informatique").click()
    expect(paul.get_by_role("heading", level=1)).to_have_text("Rejoindre Informatique")
    check_accessibility(paul)
    paul.get_by_label("Message aux coordinateurs").fill(note)
    paul.get_by_role("button", name="Envoyer ma demande").click()
    expect(paul.get_by_role("status")).to_contain_text(
        "Votre demande est envoyée aux coordinateurs du réseau.")
    card = paul.get_by_role("listitem").filter(
        has=paul.get_by_role("heading", name=re.compile(r"^Informatique")))
    expect(card).to_contain_text("Demande en attente")

    [request_mail] = mailbox.to(coordinator.email)
    assert request_mail["Subject"] == "Demande d'adhésion au réseau Informatique"
    text = body_of(request_mail)
    assert "Paul Leroy (Sargé-lès-le-Mans) demande à rejoindre le réseau « Informatique »" in text
    assert note in text
    assert f"http://tilt.test/n/{slug}/requests" in text

    # Claire, in her own browser, accepts the request from the network's "Demandes" tab
    claire = open_page()
    sign_in(claire, coordinator.email)
    expect(claire.get_by_role("main")).to_contain_text(
        "1 demande d'adhésion attend votre réponse.")
    claire.get_by_role("main").get_by_role("link", name="Informatique", exact=True).click()
    expect(claire.get_by_role("heading", level=1)).to_contain_text("Informatique")
    check_accessibility(claire)
    network_tab(claire, "Demandes").click()
    request_card = claire.get_by_role("article", name=re.compile(r"^Paul Leroy"))
    expect(request_card).to_contain_text(note)
    check_accessibility(claire)
    request_card.get_by_role("button", name="Accepter").click()
    expect(claire.get_by_role("status")).to_have_text(
        "Paul Leroy fait maintenant partie du réseau.")
    expect(claire.get_by_role("main")).to_contain_text("Aucune demande en attente.")

    [decision_mail] = mailbox.to(requester.email)
    assert decision_mail["Subject"] == "Votre demande d'adhésion au réseau Informatique"
    text = body_of(decision_mail)
    assert "Votre demande a été acceptée" in text
    link = re.search(r"http://tilt\.test/\S*", text)
    assert link is not None and link.group() == f"http://tilt.test/n/{slug}/"

    # Paul follows the link of the e-mail: the network's page now opens, and lists him
    paul.goto(urlsplit(link.group()).path)
    expect(paul.get_by_role("heading", level=1)).to_contain_text("Informatique")
    members = paul.get_by_role("region", name="Membres par commune")
    expect(members.get_by_role("link", name="Paul Leroy")).to_be_visible()
    check_accessibility(paul)


def expect_english_navigation(page: Page) -> None:
    """The English catalogue's words for the main navigation (soft: the scenario goes on)."""
    navigation = main_navigation(page)
    expect.soft(navigation.get_by_role("link", name="Networks", exact=True)).to_be_visible()
    expect.soft(navigation.get_by_role("link", name="Directory", exact=True)).to_be_visible()
    expect.soft(navigation.get_by_role("link", name="Réseaux", exact=True)).to_have_count(0)
    expect.soft(navigation.get_by_role("link", name="Annuaire", exact=True)).to_have_count(0)


def expect_french_navigation(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    navigation = main_navigation(page)
    expect(navigation.get_by_role("link", name="Réseaux", exact=True)).to_be_visible()
    expect(navigation.get_by_role("link", name="Annuaire", exact=True)).to_be_visible()


def test_language_choice_is_kept_on_the_account(page: Page, make_user):
    user = make_user(first_name="Alex", last_name="Morel")
    sign_in(page, user.email)
    expect_french_navigation(page)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    expect_english_navigation(page)
    check_accessibility(page)

    # the choice is kept on signing out: the sign-in page is in English, and so is the
    # interface after signing in again
    sign_out(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    check_accessibility(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect_english_navigation(page)

    page.get_by_role("button", name="Français").click()
    expect_french_navigation(page)
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-pressed", "true")
    sign_out(page)
    sign_in(page, user.email)
    expect_french_navigation(page)


def test_directory_search_by_function_and_commune(page: Page, make_user, make_organisation):
    allonnes, coulaines = make_organisation("Allonnes"), make_organisation("Coulaines")
    camille = make_user(first_name="Camille", last_name="Durand", organisation=allonnes,
                        network_function=FUNCTION_IT, job_title="Responsable informatique",
                        email="camille.durand@allonnes.fr", phone="02 43 80 00 01")
    make_user(first_name="Dominique", last_name="Martin", organisation=coulaines,
              network_function=FUNCTION_IT)
    make_user(first_name="Claude", last_name="Bernard", organisation=allonnes,
              network_function=FUNCTION_ELECTED)
    viewer = make_user(first_name="Sacha")
    camille_id = camille.id

    sign_in(page, viewer.email)
    main_navigation(page).get_by_role("link", name="Annuaire", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire")
    page.get_by_label("Fonction", exact=True).select_option(label="Correspondant informatique")
    page.get_by_label("Commune ou organisation").select_option(label="Allonnes")
    page.get_by_role("button", name="Rechercher").click()

    expect(page.get_by_role("status")).to_have_text("1 personne")
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name="Camille Durand")).to_be_visible()
    expect(results).not_to_contain_text("Dominique Martin")
    expect(results).not_to_contain_text("Claude Bernard")
    check_accessibility(page)

    results.get_by_role("link", name="Camille Durand").click()
    expect(page).to_have_url(re.compile(rf"/people/{camille_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Durand")
    profile = page.get_by_role("main")
    expect(profile).to_contain_text("Allonnes")
    expect(profile).to_contain_text("Correspondant informatique")
    expect(profile).to_contain_text("Responsable informatique")
    expect(profile.get_by_role("link", name="camille.durand@allonnes.fr")).to_be_visible()
    check_accessibility(page)


def test_keyboard_only_sign_in_and_skip_link(page: Page, make_user):
    user = make_user(first_name="Lou", last_name="Garnier")
    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.get_by_label("Adresse e-mail")).to_be_focused()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe", exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    remember = page.get_by_label("Rester connecté sur cet appareil")
    expect(remember).to_be_focused()
    page.keyboard.press("Space")
    expect(remember).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Se connecter")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Lou")

    # on the home page too, the first Tab reaches the skip link, which skips the header
    # (loaded afresh: the redirect after sign-in kept the #contenu of the skip link, so the
    # browser already starts the next Tab from the main content)
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Voir les réseaux")).to_be_focused()
    check_accessibility(page)


def test_administrator_opens_the_user_administration(page: Page, make_user):
    admin = make_user(first_name="Ada", last_name="Lovelace", is_admin=True)
    make_user(first_name="Camille", last_name="Durand", email="camille.durand@allonnes.fr")

    sign_in(page, admin.email)
    main_navigation(page).get_by_role("link", name="Administration", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Camille Durand")
    check_accessibility(page)
