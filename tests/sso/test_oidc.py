"""Signing in with an OpenID Connect provider (node-oidc-provider, real HTTP): discovery,
code with PKCE, state, nonce, signature, key rotation, userinfo as JSON or signed JWT,
RP-initiated logout, and each refusal in French."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.conftest import text_of
from tests.sso.conftest import through_provider
from workspace.auth.models import LoginSession, User
from workspace.extensions import db
from workspace.privacy.models import AuditEvent
from workspace.sso.models import ExternalIdentity, OrganisationClaim

EMAIL = "agathe.durand@coulaines.test"


def _start(client, provider: str = "test"):
    response = client.get(f"/login/oidc/{provider}")
    assert response.status_code == 302, text_of(response)[:300]
    return response.headers["Location"]


def _flash_after(client, response) -> str:
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    return text_of(client.get("/login"))


def _events(kind: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.kind == kind)))


def test_the_sign_in_page_offers_the_provider(oidc_settings, app, client):
    page = text_of(client.get("/login"))
    assert "Se connecter avec ProConnect" in page


def test_an_invited_agent_signs_in_through_the_provider(oidc_settings, oidc_provider, app,
                                                       client, make_user):
    user = make_user(email=EMAIL)
    oidc_provider.add_account("adurand", email=EMAIL, email_verified=True,
                              given_name="Agathe", usual_name="Durand", siret="21720094100011")
    location = _start(client)
    query = parse_qs(urlparse(location).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    assert query["redirect_uri"] == ["http://tilt.test/login/oidc/test/callback"]
    response = through_provider(client, location, "adurand")
    assert response.status_code == 302, text_of(response)[:400]
    assert client.get("/account").status_code == 200
    link = db.session.scalar(db.select(ExternalIdentity).where(ExternalIdentity.user_id == user.id))
    assert (link.provider, link.subject) == ("oidc:test", "adurand")
    row = db.session.scalar(db.select(LoginSession).where(LoginSession.user_id == user.id))
    assert row.provider == "oidc:test" and row.id_token
    # nothing of the tokens in the audit log
    for event in db.session.scalars(db.select(AuditEvent)):
        assert row.id_token[:20] not in str(event.details)


def test_signed_userinfo_as_proconnect_sends_it(oidc_settings, oidc_provider, app, client,
                                                make_user, make_organisation):
    """The `jwt` client gets its userinfo as a JWT signed with the provider's key; unknown
    people are created when allowed, their commune found from the SIRET mapping."""
    coulaines = make_organisation("Coulaines")
    db.session.add(OrganisationClaim(provider="*", value="21720094100011",
                                     organisation_id=coulaines.id))
    db.session.commit()
    app.config["SSO_CREATE_ACCOUNTS"] = True
    oidc_provider.add_account("nouveau", email="nouveau@coulaines.test", email_verified=True,
                              given_name="Noé", usual_name="Nouveau", siret="21720094100011")
    response = through_provider(client, _start(client, "jwt"), "nouveau")
    assert response.status_code == 302, text_of(response)[:400]
    created = db.session.scalar(db.select(User).where(User.email == "nouveau@coulaines.test"))
    assert (created.first_name, created.last_name, created.organisation_id) == (
        "Noé", "Nouveau", coulaines.id)


def test_an_unverified_email_is_refused(oidc_settings, oidc_provider, app, client, make_user):
    make_user(email=EMAIL)
    oidc_provider.add_account("nonverifie", email=EMAIL, email_verified=False)
    response = through_provider(client, _start(client), "nonverifie")
    assert "n'atteste pas votre adresse e-mail" in _flash_after(client, response)
    assert db.session.scalar(db.select(ExternalIdentity)) is None
    [event] = _events("login_failed")
    assert event.details["reason"] == "email_not_verified"


def test_unknown_people_and_disabled_accounts_are_refused(oidc_settings, oidc_provider, app,
                                                         client, make_user):
    oidc_provider.add_account("inconnu", email="inconnu@coulaines.test", email_verified=True)
    response = through_provider(client, _start(client), "inconnu")
    assert "Aucun compte de l'espace ne correspond" in _flash_after(client, response)
    make_user(email=EMAIL, is_active=False)
    oidc_provider.add_account("desactive", email=EMAIL, email_verified=True)
    response = through_provider(client, _start(client), "desactive")
    assert "Ce compte est désactivé" in _flash_after(client, response)


class _Recorder:
    """Stands for the browser's return to the app: keeps the path instead of following it."""

    path = ""

    def get(self, path):
        self.path = path
        return None


def test_a_wrong_state_and_a_reused_code_are_refused(oidc_settings, oidc_provider, app, client,
                                                     make_user):
    make_user(email=EMAIL)
    oidc_provider.add_account("adurand", email=EMAIL, email_verified=True)
    # the provider's answer to another browser's request: no such state in this session
    other = app.test_client()
    answer = _Recorder()
    through_provider(answer, _start(other), "adurand")
    response = client.get(answer.path)
    assert "a expiré ou ne vient pas de ce navigateur" in _flash_after(client, response)
    # that browser uses its code, signs out, starts again: the old code with the new state
    assert other.get(answer.path).status_code == 302
    assert other.get("/account").status_code == 200
    other.post("/logout")
    state = parse_qs(urlparse(_start(other)).query)["state"][0]
    code = parse_qs(urlparse(answer.path).query)["code"][0]
    replay = other.get(f"/login/oidc/test/callback?code={code}&state={state}")
    assert "a refusé la connexion : recommencez" in _flash_after(other, replay)
    reasons = {event.details.get("reason") for event in _events("login_failed")}
    assert {"oidc_mismatching_state", "oidc_invalid_grant"} <= reasons


def test_the_provider_down_is_explained(oidc_settings, app, client):
    app.config["OIDC_PROVIDERS"] = []  # settings are read at start: build another app
    from config import TestingConfig
    from workspace import create_app

    oidc_settings["OIDC_PROVIDERS"] = [dict(oidc_settings["OIDC_PROVIDERS"][0],
                                            issuer="http://127.0.0.1:9")]
    down = create_app(TestingConfig, **oidc_settings).test_client()
    response = down.get("/login/oidc/test")
    assert response.status_code == 302
    assert "ne répond pas" in text_of(down.get("/login"))


def test_keys_rotated_at_the_provider_are_fetched_again(oidc_settings, oidc_provider, app,
                                                       client, make_user):
    make_user(email=EMAIL)
    oidc_provider.add_account("adurand", email=EMAIL, email_verified=True)
    assert through_provider(client, _start(client), "adurand").status_code == 302
    client.post("/logout")
    oidc_provider.rotate_keys()
    response = through_provider(client, _start(client), "adurand")
    assert response.status_code == 302, text_of(response)[:300]
    assert client.get("/account").status_code == 200


def test_signing_out_signs_out_at_the_provider(oidc_settings, oidc_provider, app, client,
                                               make_user):
    make_user(email=EMAIL)
    oidc_provider.add_account("adurand", email=EMAIL, email_verified=True)
    import requests

    http = requests.Session()
    assert through_provider(client, _start(client), "adurand", http=http).status_code == 302
    response = client.post("/logout")
    location = response.headers["Location"]
    assert location.startswith(oidc_provider.issuer + "/session/end")
    assert "id_token_hint" in location
    back = through_provider(client, location, "adurand", http=http)
    assert back.status_code == 200  # the sign-in page
    assert db.session.scalar(db.select(LoginSession)) is None
    # signed out at the provider too: signing in again asks for the login there
    again = http.get(_start(client), allow_redirects=True, timeout=10)
    assert 'name="login"' in again.text


def test_an_unknown_provider_is_404(oidc_settings, app, client):
    assert client.get("/login/oidc/inconnu").status_code == 404
    assert client.get("/login/oidc/inconnu/callback?code=x&state=y").status_code == 404


def test_refused_returns_are_throttled_per_address(oidc_settings, app, client):
    """Forged or replayed returns count as failed sign-ins of the address: past the limit,
    even a return is refused before the provider is asked."""
    app.config["LOGIN_LIMIT_ADDRESS"] = "3 per 15 minutes"
    for _ in range(3):
        response = client.get("/login/oidc/test/callback?code=forged&state=forged")
        assert "recommencez" in _flash_after(client, response)
    response = client.get("/login/oidc/test/callback?code=forged&state=forged")
    assert "Trop de tentatives" in _flash_after(client, response)


def test_an_id_token_signed_by_another_key_is_refused(oidc_settings, oidc_provider, app,
                                                      client, make_user):
    """The provider signs with a new key under the id of the key the app already fetched
    (what a forger would do): the signature does not verify, the sign-in is refused."""
    make_user(email=EMAIL)
    oidc_provider.add_account("adurand", email=EMAIL, email_verified=True)
    assert through_provider(client, _start(client), "adurand").status_code == 302
    client.post("/logout")
    oidc_provider.rotate_keys(kid=oidc_provider.kid)
    try:
        response = through_provider(client, _start(client), "adurand")
        assert "n'est pas valable" in _flash_after(client, response)
        assert client.get("/account").status_code == 302
        [event] = [e for e in _events("login_failed") if e.details.get("reason", "")
                   .startswith("id_token")]
        assert event.details["provider"] == "oidc:test"
    finally:
        oidc_provider.rotate_keys()  # a fresh key id for the tests that follow
