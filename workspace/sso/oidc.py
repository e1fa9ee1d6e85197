"""OpenID Connect providers (ProConnect and any other) through Authlib's Flask client:
discovery, authorisation code with PKCE (S256), `state` and `nonce`, the ID token's
signature (the provider's keys, fetched again when it signs with a new one), issuer,
audience and expiry checked by Authlib; the redirect URI is built from PUBLIC_URL, never
from the request. Sign-out is RP-initiated: the browser goes to the provider's
`end_session_endpoint` with the ID token as hint, then back to the sign-in page.

Each provider is a dict of OIDC_PROVIDERS (docs/operations.md):
  name, label, discovery_url (or issuer), client_id, client_secret, scope,
  claims {email, email_verified, first_name, last_name, organisation}, trust_email,
  userinfo (also read the userinfo endpoint; JSON or a signed JWT, as ProConnect sends).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from flask_babel import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from requests.exceptions import RequestException

from workspace.auth.models import LoginSession
from workspace.auth.service import SignInRefused, add_sign_in_button, register_logout
from workspace.core.registry import registry
from workspace.core.urls import public_url
from workspace.sso.accounts import Assertion

DEFAULT_CLAIMS = {"email": "email", "email_verified": "email_verified",
                  "first_name": "given_name", "last_name": "family_name", "organisation": ""}


@dataclass
class Provider:
    name: str
    label: str
    discovery_url: str
    client_id: str
    client_secret: str
    scope: str = "openid email profile"
    claims: dict = field(default_factory=lambda: dict(DEFAULT_CLAIMS))
    trust_email: bool = False
    userinfo: bool = True

    @property
    def key(self) -> str:
        return f"oidc:{self.name}"


def _providers(app: Flask | None = None) -> dict[str, Provider]:
    return registry("oidc_providers", app)


def provider(name: str) -> Provider | None:
    return _providers().get(name)


def _oauth(app: Flask | None = None) -> OAuth:
    return registry("oidc_client", app)["oauth"]


def init_app(app: Flask) -> None:
    oauth = OAuth(app)
    registry("oidc_client", app)["oauth"] = oauth
    for raw in app.config["OIDC_PROVIDERS"]:
        issuer = raw.get("issuer", "").rstrip("/")
        found = Provider(
            name=raw["name"], label=raw.get("label") or raw["name"],
            discovery_url=raw.get("discovery_url")
            or f"{issuer}/.well-known/openid-configuration",
            client_id=raw["client_id"], client_secret=raw.get("client_secret", ""),
            scope=raw.get("scope", "openid email profile"),
            claims={**DEFAULT_CLAIMS, **raw.get("claims", {})},
            trust_email=bool(raw.get("trust_email", False)),
            userinfo=bool(raw.get("userinfo", True)))
        _providers(app)[found.name] = found
        oauth.register(found.name, client_id=found.client_id,
                       client_secret=found.client_secret,
                       server_metadata_url=found.discovery_url,
                       client_kwargs={"scope": found.scope, "code_challenge_method": "S256",
                                      "timeout": app.config["OIDC_TIMEOUT"]})
        add_sign_in_button(app, found.key, found.label, "sso.oidc_login",
                           provider=found.name)
    register_logout(app, "oidc", _logout_url)


def _client(found: Provider):
    return _oauth().create_client(found.name)


def redirect_uri(found: Provider) -> str:
    return public_url("sso.oidc_callback", provider=found.name)


def start(found: Provider):
    """The redirection to the provider's authorisation page (state, nonce and the PKCE
    verifier are kept in the session by Authlib)."""
    try:
        return _client(found).authorize_redirect(redirect_uri(found),
                                                 nonce=secrets.token_urlsafe(24))
    except (RequestException, OAuthError, ValueError, KeyError) as error:
        current_app.logger.warning("OIDC %s: discovery failed (%s)", found.name,
                                   type(error).__name__)
        raise SignInRefused(_("Le fournisseur d'identité %(name)s ne répond pas : réessayez "
                              "dans un moment.", name=found.label),
                            "provider_unavailable") from None


def finish(found: Provider) -> tuple[Assertion, str | None]:
    """What the provider asserts, from the code it sent back (state, nonce, signature,
    issuer, audience and expiry checked), and the ID token for the sign-out."""
    client = _client(found)
    try:
        token = client.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        if found.userinfo and client.load_server_metadata().get("userinfo_endpoint"):
            claims.update(_userinfo(client, token, claims.get("sub")))
    except OAuthError as error:
        reason = error.error or "oauth_error"
        if reason == "mismatching_state":
            message = _("La demande de connexion a expiré ou ne vient pas de ce navigateur : "
                        "recommencez.")
        elif reason == "access_denied":
            message = _("La connexion a été annulée chez le fournisseur d'identité.")
        else:
            message = _("Le fournisseur d'identité a refusé la connexion : recommencez.")
        raise SignInRefused(message, f"oidc_{reason}"[:60]) from None
    except JoseError as error:
        raise SignInRefused(_("La réponse du fournisseur d'identité n'est pas valable "
                              "(signature, émetteur, destinataire ou date) : la connexion "
                              "est refusée."), f"id_token_{error.error}"[:60]) from None
    except (RequestException, ValueError) as error:
        current_app.logger.warning("OIDC %s: token exchange failed (%s)", found.name,
                                   type(error).__name__)
        raise SignInRefused(_("Le fournisseur d'identité %(name)s ne répond pas : réessayez "
                              "dans un moment.", name=found.label),
                            "provider_unavailable") from None
    names = found.claims
    verified = claims.get(names["email_verified"]) if names["email_verified"] else None
    assertion = Assertion(
        provider=found.key, subject=str(claims.get("sub") or ""),
        email=str(claims.get(names["email"]) or ""),
        email_verified=found.trust_email or verified is True or verified == "true",
        first_name=str(claims.get(names["first_name"]) or ""),
        last_name=str(claims.get(names["last_name"]) or ""),
        organisation=str(claims.get(names["organisation"]) or "")
        if names["organisation"] else "")
    if not assertion.subject:
        raise SignInRefused(_("La réponse du fournisseur d'identité n'est pas valable."),
                            "no_subject")
    return assertion, token.get("id_token")


def _userinfo(client, token: dict, subject: str | None) -> dict:
    """The userinfo endpoint's claims: JSON, or a JWT signed with the provider's keys (as
    ProConnect answers). Claims of another subject are refused."""
    metadata = client.load_server_metadata()
    response = client.get(metadata["userinfo_endpoint"], token=token)
    response.raise_for_status()
    if response.headers.get("content-type", "").split(";")[0].strip() == "application/jwt":
        keys = KeySet.import_key_set(client.fetch_jwk_set())
        decoded = jwt.decode(response.text, keys, algorithms=["RS256", "ES256", "PS256"])
        claims = dict(decoded.claims)
    else:
        claims = response.json()
    if subject and claims.get("sub") != subject:
        raise JoseError("the userinfo claims are another subject's")
    return claims


def _logout_url(row: LoginSession) -> str | None:
    """The provider's sign-out address (RP-initiated logout), back to our sign-in page."""
    name = row.provider.split(":", 1)[1] if ":" in row.provider else ""
    found = provider(name)
    if found is None:
        return None
    try:
        return _client(found).create_logout_url(
            post_logout_redirect_uri=public_url("auth.login"), id_token_hint=row.id_token,
            client_id=found.client_id)["url"]
    except (RequestException, ValueError, RuntimeError):  # provider away, no end_session
        return None
