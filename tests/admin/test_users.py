"""Accounts seen by administrators: list, invitation, edition, (de)activation."""
from __future__ import annotations

from sqlalchemy import func, select

from tests.admin.helpers import text
from tests.conftest import PASSWORD
from workspace.auth.models import User
from workspace.extensions import db


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def invite(client, **over):
    data = {"email": "Marie.Dupont@Example.org", "first_name": "Marie", "last_name": "Dupont",
            "organisation_id": "0", "network_function": "it_correspondent",
            "job_title": "Responsable informatique", "phone": "02 43 00 00 00", "locale": "fr"}
    data.update(over)
    return client.post("/admin/users/invite", data=data)


def accept(client, link: str, password: str = PASSWORD):
    path = link.removeprefix("http://tilt.test")
    return client.post(path, data={"password": password, "confirm": password})


# --- list ------------------------------------------------------------------------------

def test_list_shows_each_state_and_filters_without_accents(admin_client, make_user,
                                                           make_organisation):
    mairie = make_organisation("Coulaines")
    make_user(first_name="Hélène", last_name="Géraud", organisation_id=mairie.id,
              network_function="dpo")
    make_user(first_name="Paul", last_name="Martin", password=None)
    make_user(first_name="Zoé", last_name="Ancien", is_active=False)

    page = text(admin_client.get("/admin/users"))
    assert "Hélène Géraud" in page and "Coulaines" in page
    assert "Délégué à la protection des données" in page
    assert "Invitation en attente" in page and "Désactivé" in page and "Admin" in page

    found = text(admin_client.get("/admin/users?q=HELENE+geraud"))
    assert "Hélène Géraud" in found and "Paul Martin" not in found
    pending = text(admin_client.get("/admin/users?status=pending"))
    assert "Paul Martin" in pending and "Hélène Géraud" not in pending
    by_organisation = admin_client.get(f"/admin/users?organisation={mairie.id}")
    assert "Paul Martin" not in text(by_organisation)


def test_list_pages_keep_the_filters(admin_client, make_user):
    for n in range(55):
        make_user(first_name=f"Invité{n:02d}", last_name="Durand", password=None)
    first = text(admin_client.get("/admin/users?q=durand&status=pending"))
    assert first.count('<th scope="row"><a href="/admin/users/') == 50
    assert "55 comptes" in first
    assert "/admin/users?page=2&q=durand&status=pending" in first
    second = admin_client.get("/admin/users?page=2&q=durand&status=pending")
    assert text(second).count('<th scope="row"><a href="/admin/users/') == 5


def test_list_survives_odd_query_strings(admin_client):
    assert admin_client.get("/admin/users?endpoint=x&_external=1&organisation=abc"
                            "&status=nope").status_code == 200
    assert admin_client.get("/admin/users?page=999").status_code == 404


# --- invitation ------------------------------------------------------------------------

def test_invitation_link_sets_a_password_once_then_the_person_signs_in(
        admin_client, app, invitation_links, login):
    response = invite(admin_client)
    assert response.status_code == 302
    user = user_by_email("marie.dupont@example.org")  # stored normalised
    assert user is not None and not user.has_password and user.network_function == \
        "it_correspondent"

    [link] = invitation_links("marie.dupont@example.org")  # from PUBLIC_URL, not localhost
    newcomer = app.test_client()
    assert newcomer.get(link.removeprefix("http://tilt.test")).status_code == 200
    assert accept(newcomer, link).status_code == 302
    login(newcomer, user)
    assert "Bonjour Marie" in text(newcomer.get("/"))

    again = app.test_client().get(link.removeprefix("http://tilt.test"))
    assert again.status_code == 404


def test_invitation_refuses_an_existing_address(admin_client, make_user):
    make_user(email="deja@example.org")
    response = invite(admin_client, email="  DEJA@example.org ")
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse e-mail." in text(response)
    assert db.session.scalar(select(func.count(User.id))) == 2


def test_invitation_form_errors_are_in_french(admin_client):
    response = invite(admin_client, email="pas-une-adresse", first_name="",
                      network_function="pirate")
    page = text(response)
    assert response.status_code == 200
    assert "Adresse électronique non valide." in page and "Ce champ est requis." in page
    assert user_by_email("pas-une-adresse") is None


def test_resending_an_invitation_invalidates_the_previous_link(admin_client, app,
                                                               invitation_links):
    invite(admin_client)
    user = user_by_email("marie.dupont@example.org")
    response = admin_client.post(f"/admin/users/{user.id}/invitation", follow_redirects=True)
    assert "Nouvelle invitation envoyée" in text(response)

    old, new = invitation_links("marie.dupont@example.org")
    newcomer = app.test_client()
    assert newcomer.get(old.removeprefix("http://tilt.test")).status_code == 404
    assert accept(newcomer, new).status_code == 302


def test_no_invitation_for_an_account_that_has_a_password(admin_client, make_user, mailbox):
    user = make_user()
    response = admin_client.post(f"/admin/users/{user.id}/invitation", follow_redirects=True)
    assert "Ce compte est déjà activé" in text(response)
    assert mailbox.to(user.email) == []


# --- edition and activation ------------------------------------------------------------

def test_edit_profile_and_see_memberships(admin_client, make_user, make_organisation,
                                          make_network):
    user = make_user(first_name="Jean", last_name="Bon")
    make_network("Réseau des DSI", members=[user])
    organisation = make_organisation("Sargé-lès-le-Mans")
    page = text(admin_client.get(f"/admin/users/{user.id}"))
    assert "Réseau des DSI" in page

    response = admin_client.post(f"/admin/users/{user.id}", data={
        "email": user.email, "first_name": "Jeanne", "last_name": "Bon",
        "organisation_id": str(organisation.id), "network_function": "dpo", "job_title": "DPO",
        "phone": "", "locale": "en", "is_admin": "y"})
    assert response.status_code == 302
    user = db.session.get(User, user.id)
    assert (user.first_name, user.organisation_id, user.network_function, user.locale,
            user.is_admin) == ("Jeanne", organisation.id, "dpo", "en", True)


def test_unknown_user_is_404(admin_client):
    assert admin_client.get("/admin/users/9999").status_code == 404
    assert admin_client.post("/admin/users/9999/active", data={"active": "0"}).status_code == 404


def test_an_administrator_keeps_their_own_admin_flag(admin_client, admin):
    response = admin_client.post(f"/admin/users/{admin.id}", data={
        "email": admin.email, "first_name": "Alice", "last_name": "Admin",
        "organisation_id": "0", "network_function": "other", "locale": "fr"})
    assert "Vous ne pouvez pas retirer vos propres droits" in text(response)
    assert db.session.get(User, admin.id).is_admin


def test_disabling_locks_the_person_out_and_enabling_lets_them_back(admin_client, app,
                                                                    make_user, login):
    user = make_user()
    theirs = app.test_client()
    login(theirs, user)
    assert theirs.get("/account").status_code == 200

    response = admin_client.post(f"/admin/users/{user.id}/active", data={"active": "0"},
                                 follow_redirects=True)
    assert "Le compte est désactivé" in text(response)
    kicked_out = theirs.get("/account")
    assert kicked_out.status_code == 302 and kicked_out.headers["Location"].startswith("/login")
    refused = theirs.post("/login", data={"email": user.email, "password": PASSWORD})
    assert refused.status_code == 401

    admin_client.post(f"/admin/users/{user.id}/active", data={"active": "1"})
    login(theirs, user)
    assert theirs.get("/account").status_code == 200


def test_an_administrator_cannot_disable_themself(admin_client, admin):
    response = admin_client.post(f"/admin/users/{admin.id}/active", data={"active": "0"},
                                 follow_redirects=True)
    assert "Vous ne pouvez pas désactiver votre propre compte." in text(response)
    assert db.session.get(User, admin.id).is_active
    assert admin_client.get("/admin/users").status_code == 200


def test_toggle_without_a_target_state_changes_nothing(admin_client, make_user):
    user = make_user()
    response = admin_client.post(f"/admin/users/{user.id}/active", follow_redirects=True)
    assert "Choisissez d'activer ou de désactiver le compte." in text(response)
    assert db.session.get(User, user.id).is_active
