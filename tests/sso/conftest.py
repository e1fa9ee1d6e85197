"""The real servers of single sign-on: Debian's slapd (started by .ci/run through
tests/servers/slapd.sh) and an OpenID Connect provider (node-oidc-provider, started by
tests/servers/oidc-provider.sh). Skipped on a developer machine without them; with CI=true
they must be there."""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.conftest import require

SLAPD_DIR = Path(os.environ.get("TILT_SLAPD_DIR", "/tmp/tilt-test-servers/slapd"))
SLAPD_PORT = int(os.environ.get("TILT_SLAPD_PORT", "3389"))
SLAPD_TLS_PORT = int(os.environ.get("TILT_SLAPD_TLS_PORT", "6636"))
SUFFIX = "dc=lemans,dc=test"
ADMIN_DN, ADMIN_PASSWORD = f"cn=admin,{SUFFIX}", "admin-test"
AGENT_PASSWORD = "Annuaire-2017-secret"


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Directory:
    """A branch of the test directory of its own (ou=<unique>), removed afterwards."""

    connection: object
    base: str
    created: list[str] = field(default_factory=list)

    def add_person(self, uid: str, mail: str, given: str = "Agathe", sn: str = "Durand",
                   password: str = AGENT_PASSWORD) -> str:
        dn = f"uid={uid},{self.base}"
        self.connection.add(dn, ["inetOrgPerson"], {
            "uid": uid, "mail": mail, "givenName": given, "sn": sn, "cn": f"{given} {sn}",
            "userPassword": password})
        assert self.connection.result["result"] == 0, self.connection.result
        self.created.append(dn)
        return dn

    def add_group(self, cn: str, members: list[str]) -> str:
        dn = f"cn={cn},{self.base}"
        self.connection.add(dn, ["groupOfNames"], {"cn": cn, "member": members})
        assert self.connection.result["result"] == 0, self.connection.result
        self.created.append(dn)
        return dn

    def remove(self, dn: str) -> None:
        self.connection.delete(dn)
        assert self.connection.result["result"] == 0, self.connection.result
        self.created.remove(dn)


@pytest.fixture
def directory():
    from ldap3 import Connection, Server

    require(listening(SLAPD_PORT) and (SLAPD_DIR / "ca.pem").exists(),
            f"slapd is not running on 127.0.0.1:{SLAPD_PORT} (tests/servers/slapd.sh start)")
    connection = Connection(Server("127.0.0.1", port=SLAPD_PORT), ADMIN_DN, ADMIN_PASSWORD,
                            auto_bind=True)
    base = f"ou=t{uuid.uuid4().hex[:12]},{SUFFIX}"
    connection.add(base, ["organizationalUnit"], {"ou": base.split(",")[0][3:]})
    assert connection.result["result"] == 0, connection.result
    found = Directory(connection, base)
    yield found
    for dn in reversed(found.created):
        connection.delete(dn)
    connection.delete(base)
    connection.unbind()


@pytest.fixture
def ldap_settings(directory, app_config):
    """The app's settings for the test directory (StartTLS, its CA)."""
    app_config.update(
        LDAP_URL=f"ldap://127.0.0.1:{SLAPD_PORT}", LDAP_START_TLS=True,
        LDAP_CA_FILE=str(SLAPD_DIR / "ca.pem"), LDAP_BIND_DN=ADMIN_DN,
        LDAP_BIND_PASSWORD=ADMIN_PASSWORD, LDAP_BASE_DN=directory.base,
        LDAP_RECHECK_SECONDS=0, LDAP_TIMEOUT=3)
    return app_config


# --- the OpenID Connect provider ----------------------------------------------------------

OIDC_DIR = Path(__file__).resolve().parents[1] / "servers" / "oidc-provider"
PUBLIC = "http://tilt.test"  # TestingConfig.PUBLIC_URL: redirect URIs are built from it
CLIENTS = {"test": ("tilt", "tilt-secret", {}),
           "jwt": ("tilt-jwt", "tilt-jwt-secret", {"userinfo_signed_response_alg": "RS256"})}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OidcProvider:
    """node-oidc-provider in a process of its own, on a free port; its keys can be
    replaced (rotation: it restarts and signs with a new key) and accounts added."""

    def __init__(self, state: Path):
        self.state, self.port, self.process = state, _free_port(), None
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.accounts: dict[str, dict] = {}
        clients = [{"client_id": client_id, "client_secret": secret,
                    "redirect_uris": [f"{PUBLIC}/login/oidc/{name}/callback"],
                    "post_logout_redirect_uris": [f"{PUBLIC}/login"],
                    "grant_types": ["authorization_code"], "response_types": ["code"],
                    **extra} for name, (client_id, secret, extra) in CLIENTS.items()]
        (state / "clients.json").write_text(json.dumps(clients))
        self._write_accounts()
        self.kid = self.rotate_keys(restart=False)

    def _write_accounts(self) -> None:
        (self.state / "accounts.json").write_text(json.dumps(self.accounts))

    def add_account(self, login: str, **claims) -> None:
        self.accounts[login] = claims
        self._write_accounts()

    def rotate_keys(self, restart: bool = True, kid: str | None = None) -> str:
        """A new signing key (a new key id, or `kid`: a different key under an id the
        app already knows, as a forger would sign)."""
        from joserfc.jwk import RSAKey

        parameters = {"use": "sig", "alg": "RS256", **({"kid": kid} if kid else {})}
        key = RSAKey.generate_key(2048, parameters=parameters, private=True,
                                  auto_kid=kid is None)
        (self.state / "jwks.json").write_text(json.dumps({"keys": [key.as_dict(private=True)]}))
        if restart:
            self.stop()
            self.start()
        self.kid = key.kid
        return key.kid

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["node", "server.mjs", str(self.port), str(self.state)], cwd=OIDC_DIR,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while not listening(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("oidc-provider did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def settings(self, names=("test",)) -> list[dict]:
        return [{"name": name, "label": "ProConnect" if name == "test" else f"OIDC {name}",
                 "issuer": self.issuer, "client_id": CLIENTS[name][0],
                 "client_secret": CLIENTS[name][1],
                 "scope": "openid email given_name usual_name siret",
                 "claims": {"first_name": "given_name", "last_name": "usual_name",
                            "organisation": "siret"}} for name in names]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    require(shutil.which("node") is not None and (OIDC_DIR / "node_modules").is_dir(),
            "node and tests/servers/oidc-provider/node_modules are needed (npm ci there)")
    provider = OidcProvider(tmp_path_factory.mktemp("oidc"))
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture
def oidc_settings(oidc_provider, app_config):
    app_config["OIDC_PROVIDERS"] = oidc_provider.settings(("test", "jwt"))
    return app_config


_FORM = re.compile(r'<form[^>]*action="([^"]+)"', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def through_provider(client, url: str, login: str, password: str = "any",
                     http=None) -> object:
    """Follow `url` at the provider as a browser would (its login and consent pages, or its
    sign-out page), until it sends the browser back to the app: that request is made with
    the Flask test client, whose response is returned."""
    import requests

    http = http or requests.Session()
    response = http.get(url, allow_redirects=False, timeout=10)
    for _ in range(20):
        if response.status_code in (302, 303):
            target = urljoin(response.url, response.headers["Location"])
            if target.startswith(PUBLIC):
                return client.get(target[len(PUBLIC):])
            response = http.get(target, allow_redirects=False, timeout=10)
            continue
        assert response.status_code == 200, (response.status_code, response.text[:500])
        page = response.text
        action = urljoin(response.url, _FORM.search(page).group(1))
        data = dict(_HIDDEN.findall(page))
        if 'name="login"' in page:
            data.update(login=login, password=password)
        elif 'name="logout"' in page:
            data["logout"] = "yes"
        response = http.post(action, data=data, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")
