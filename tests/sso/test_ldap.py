"""Signing in with the directory (Debian's slapd, StartTLS and LDAPS, real binds)."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, text_of
from tests.sso.conftest import AGENT_PASSWORD, SLAPD_TLS_PORT
from workspace.auth.models import LoginSession, User
from workspace.extensions import db
from workspace.networks.models import Membership
from workspace.privacy.models import AuditEvent
from workspace.sso.models import ExternalIdentity


def _sign_in(client, login: str, password: str = AGENT_PASSWORD):
    return client.post("/login", data={"email": login, "password": password})


def _events(kind: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.kind == kind)))


def test_an_invited_agent_signs_in_with_the_directory_password(ldap_settings, directory, app,
                                                              client, make_user):
    user = make_user(email="agathe.durand@lemans.test")
    directory.add_person("adurand", "agathe.durand@lemans.test")
    response = _sign_in(client, "Agathe.Durand@lemans.test")
    assert response.status_code == 302, text_of(response)[:400]
    link = db.session.scalar(db.select(ExternalIdentity).where(ExternalIdentity.user_id == user.id))
    assert link.provider == "ldap" and link.subject  # the entry's entryUUID
    row = db.session.scalar(db.select(LoginSession).where(LoginSession.user_id == user.id))
    assert row.provider == "ldap"
    assert client.get("/account").status_code == 200
    [event] = _events("login")
    assert event.details.get("provider") == "ldap"


def test_a_wrong_directory_password_is_refused_and_counted(ldap_settings, directory, app,
                                                           client, make_user):
    make_user(email="agathe.durand@lemans.test")
    directory.add_person("adurand", "agathe.durand@lemans.test")
    response = _sign_in(client, "agathe.durand@lemans.test", "mauvais-mot-de-passe")
    assert response.status_code == 401
    assert "incorrect" in text_of(response)
    assert len(_events("login_failed")) == 1


def test_the_local_password_still_works_for_someone_not_in_the_directory(
        ldap_settings, directory, app, client, make_user):
    user = make_user(email="prestataire@example.org")
    response = _sign_in(client, user.email, PASSWORD)
    assert response.status_code == 302


def test_unknown_people_are_refused_by_default(ldap_settings, directory, app, client):
    directory.add_person("inconnu", "inconnu@lemans.test")
    response = _sign_in(client, "inconnu@lemans.test")
    assert response.status_code == 403
    assert "Aucun compte de l'espace ne correspond" in text_of(response)
    assert db.session.scalar(db.select(User).where(User.email == "inconnu@lemans.test")) is None
    [event] = _events("login_failed")
    assert event.details["reason"] == "unknown_person"


def test_unknown_people_may_be_created_without_a_network(ldap_settings, directory, app_config,
                                                         make_organisation):
    from config import TestingConfig
    from workspace import create_app
    from workspace.sso.models import OrganisationClaim

    coulaines = make_organisation("Coulaines")
    db.session.add(OrganisationClaim(provider="ldap", value="Mairie de Coulaines",
                                     organisation_id=coulaines.id))
    db.session.commit()
    app_config.update(SSO_CREATE_ACCOUNTS=True, LDAP_ATTRIBUTES={
        "subject": "entryUUID", "email": "mail", "first_name": "givenName", "last_name": "sn",
        "organisation": "ou"})
    other = create_app(TestingConfig, **app_config)
    directory.connection.add(f"uid=nouveau,{directory.base}", ["inetOrgPerson"], {
        "uid": "nouveau", "mail": "nouveau@lemans.test", "givenName": "Noé", "sn": "Nouveau",
        "cn": "Noé Nouveau", "ou": "Mairie de Coulaines", "userPassword": AGENT_PASSWORD})
    directory.created.append(f"uid=nouveau,{directory.base}")
    client = other.test_client()
    assert _sign_in(client, "nouveau@lemans.test").status_code == 302
    created = db.session.scalar(db.select(User).where(User.email == "nouveau@lemans.test"))
    assert (created.first_name, created.last_name) == ("Noé", "Nouveau")
    assert created.organisation_id == coulaines.id and created.password_hash is None
    assert db.session.scalar(db.select(Membership).where(Membership.user_id == created.id)) \
        is None


def test_a_disabled_account_is_refused(ldap_settings, directory, app, client, make_user):
    make_user(email="agathe.durand@lemans.test", is_active=False)
    directory.add_person("adurand", "agathe.durand@lemans.test")
    response = _sign_in(client, "agathe.durand@lemans.test")
    assert response.status_code == 403
    assert "désactivé" in text_of(response)


def test_leaving_the_directory_ends_the_sessions_at_the_next_request(
        ldap_settings, directory, app, client, make_user):
    user = make_user(email="agathe.durand@lemans.test")
    dn = directory.add_person("adurand", "agathe.durand@lemans.test")
    assert _sign_in(client, user.email).status_code == 302
    assert client.get("/account").status_code == 200
    directory.remove(dn)
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(db.select(LoginSession).where(LoginSession.user_id == user.id)) \
        is None
    assert len(_events("session_ended_by_provider")) == 1


def test_directory_groups_decide_network_membership_at_each_sign_in(
        ldap_settings, directory, app_config, make_user, make_network):
    from config import TestingConfig
    from workspace import create_app

    user = make_user(email="agathe.durand@lemans.test")
    informatique = make_network("Informatique")
    patrimoine = make_network("Patrimoine bâti")
    dn = directory.add_person("adurand", "agathe.durand@lemans.test")
    group = directory.add_group("reseau-informatique", [dn])
    app_config["LDAP_GROUP_NETWORKS"] = {group.upper(): informatique.slug,
                                         f"cn=autre,{directory.base}": patrimoine.slug}
    other = create_app(TestingConfig, **app_config)

    def networks() -> set[int]:
        db.session.expire_all()
        return set(db.session.scalars(db.select(Membership.network_id).where(
            Membership.user_id == user.id)))

    assert _sign_in(other.test_client(), user.email).status_code == 302
    assert networks() == {informatique.id}
    someone_else = [f"cn=admin,{directory.base}"]
    directory.connection.modify(group, {"member": [("MODIFY_REPLACE", someone_else)]})
    assert _sign_in(other.test_client(), user.email).status_code == 302
    assert networks() == set()


@pytest.mark.parametrize("scheme", ["ldaps", "starttls"])
def test_tls_is_required_and_checked(ldap_settings, directory, app_config, make_user, scheme,
                                     tmp_path):
    """LDAPS works with the directory's CA; a CA that did not sign the certificate makes the
    directory unusable (never a clear-text fallback), and the person is told it is away."""
    from config import TestingConfig
    from workspace import create_app

    make_user(email="agathe.durand@lemans.test")
    directory.add_person("adurand", "agathe.durand@lemans.test")
    if scheme == "ldaps":
        app_config["LDAP_URL"] = f"ldaps://127.0.0.1:{SLAPD_TLS_PORT}"
    good = create_app(TestingConfig, **app_config)
    assert _sign_in(good.test_client(), "agathe.durand@lemans.test").status_code == 302
    wrong_ca = tmp_path / "other-ca.pem"
    wrong_ca.write_text(_other_ca())
    app_config["LDAP_CA_FILE"] = str(wrong_ca)
    bad = create_app(TestingConfig, **app_config)
    response = _sign_in(bad.test_client(), "agathe.durand@lemans.test")
    assert response.status_code == 403
    assert "L'annuaire ne répond pas" in text_of(response)


def _other_ca() -> str:
    """A self-signed CA that signed nothing of the directory's."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Another CA")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
                   .sign(key, hashes.SHA256()))
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def test_password_sign_in_can_be_turned_off_per_account(ldap_settings, directory, app, client,
                                                        make_user):
    user = make_user(email="agathe.durand@lemans.test")
    user.password_sign_in = False
    db.session.commit()
    response = _sign_in(client, user.email, PASSWORD)
    assert response.status_code == 403
    assert "La connexion par mot de passe est désactivée" in text_of(response)
    directory.add_person("adurand", "agathe.durand@lemans.test")
    assert _sign_in(client, user.email).status_code == 302


def test_an_administrator_turns_password_sign_in_off_and_on(app, client, login, make_user):
    """Off: the password sessions end, the password is refused with the reason; on again:
    it works. No directory is needed for this."""
    admin = make_user(is_admin=True)
    person = make_user(email="agent@lemans.test")
    theirs = app.test_client()
    login(theirs, person)
    login(client, admin)
    response = client.post(f"/admin/users/{person.id}/password-sign-in", data={"allowed": "0"})
    assert response.status_code == 302
    assert theirs.get("/account").status_code == 302  # signed out
    refused = _sign_in(theirs, person.email, PASSWORD)
    assert refused.status_code == 403
    assert "désactivée" in text_of(refused)
    client.post(f"/admin/users/{person.id}/password-sign-in", data={"allowed": "1"})
    assert _sign_in(theirs, person.email, PASSWORD).status_code == 302
    assert client.post(f"/admin/users/{admin.id}/password-sign-in",
                       data={"allowed": "0"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, admin.id).password_sign_in  # not for oneself


def test_administrators_map_organisation_claims(app, client, login, make_user,
                                                make_organisation):
    """The mapping page: added, refused twice or without an organisation (in French, the
    form kept), deleted; the mapping then finds the organisation."""
    from workspace.sso.accounts import organisation_for

    coulaines = make_organisation("Coulaines")
    login(client, make_user(is_admin=True))
    page = "/admin/sso/organisations"
    assert "Choisissez une organisation" in text_of(client.post(page, data={"value": "217"}))
    assert client.post(page, data={"provider": "oidc:test", "value": "21720094100011",
                                   "organisation_id": coulaines.id}).status_code == 302
    assert organisation_for("oidc:test", "21720094100011") == coulaines.id
    assert organisation_for("ldap", "21720094100011") is None
    again = client.post(page, data={"provider": "oidc:test", "value": "21720094100011",
                                    "organisation_id": coulaines.id})
    assert "déjà associée à Coulaines" in text_of(again)
    bad = client.post(page, data={"provider": "pas de blancs", "value": "x",
                                  "organisation_id": coulaines.id})
    assert "Nom de fournisseur invalide" in text_of(bad)
    from workspace.sso.models import OrganisationClaim

    claim = db.session.scalar(db.select(OrganisationClaim))
    listing = text_of(client.get(page))
    assert f'name="claim_id" value="{claim.id}"' in listing and "Coulaines" in listing
    response = client.post("/admin/sso/organisations/delete", data={"claim_id": claim.id})
    assert response.status_code == 302
    assert organisation_for("oidc:test", "21720094100011") is None


@pytest.mark.parametrize("login", ["*", "*)(mail=*", "agathe.durand@lemans.test)(|(uid=*",
                                   "\\2a", "é" * 254, "\x00"])
def test_filter_characters_in_the_login_find_nobody(ldap_settings, directory, app, client,
                                                    make_user, login):
    """The login is escaped in the directory's filter: a wildcard or a filter fragment
    matches no entry, and the answer is the usual refusal, never a 500."""
    make_user(email="agathe.durand@lemans.test")
    directory.add_person("adurand", "agathe.durand@lemans.test")
    response = _sign_in(client, login)
    assert response.status_code in (200, 401)  # the form's own message, or "incorrect"
    assert client.get("/account").status_code == 302
