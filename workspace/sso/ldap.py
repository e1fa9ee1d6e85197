"""Signing in with the directory (OpenLDAP, Active Directory) through ldap3: the entry is
searched (as the service account, or anonymously), then a bind as that entry checks the
password. StartTLS (`LDAP_START_TLS`) or `ldaps://`, the certificate checked against
`LDAP_CA_FILE` (or the system's). The user's groups are searched by member
(`LDAP_GROUP_FILTER`, which works for groupOfNames and for Active Directory's groups) and
decide the membership of the networks `LDAP_GROUP_NETWORKS` maps them to.
"""
from __future__ import annotations

import ssl
from contextlib import suppress
from urllib.parse import urlparse

from flask import current_app
from ldap3 import BASE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import (
    LDAPBindError,
    LDAPException,
    LDAPInvalidCredentialsResult,
    LDAPSocketOpenError,
)
from ldap3.utils.conv import escape_filter_chars

from workspace.auth.models import User
from workspace.auth.service import DirectoryUnavailable
from workspace.extensions import db
from workspace.networks.service import apply_directory_groups
from workspace.sso.accounts import Assertion, account_for
from workspace.sso.models import ExternalIdentity

PROVIDER = "ldap"


def _server() -> Server:
    config = current_app.config
    url = urlparse(config["LDAP_URL"])
    tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=config["LDAP_CA_FILE"] or None,
              version=ssl.PROTOCOL_TLS_CLIENT)
    return Server(url.hostname, port=url.port, use_ssl=url.scheme == "ldaps", tls=tls,
                  connect_timeout=config["LDAP_TIMEOUT"], get_info=None)


def _connection(user: str | None = None, password: str | None = None) -> Connection:
    """A bound connection (the service account when `user` is None); LDAPBindError for a
    wrong password, DirectoryUnavailable when the directory cannot be reached safely."""
    config = current_app.config
    if user is None:
        user, password = config["LDAP_BIND_DN"] or None, config["LDAP_BIND_PASSWORD"] or None
    connection = Connection(_server(), user=user, password=password,
                            receive_timeout=config["LDAP_TIMEOUT"], raise_exceptions=True,
                            auto_bind=False, read_only=True)
    try:
        connection.open()
        if config["LDAP_START_TLS"] and not config["LDAP_URL"].startswith("ldaps:"):
            connection.start_tls()
        connection.bind()
    except (LDAPBindError, LDAPInvalidCredentialsResult):
        _close(connection)
        raise LDAPBindError("invalid credentials") from None
    except (LDAPSocketOpenError, LDAPException, OSError, ssl.SSLError) as error:
        _close(connection)
        raise DirectoryUnavailable(type(error).__name__) from None
    return connection


def _close(connection: Connection) -> None:
    """Unbind, whatever state a failed StartTLS or bind left the socket in."""
    with suppress(LDAPException, OSError):
        connection.unbind()


def _attribute(entry: dict, name: str) -> str:
    """An attribute's first value as text; Active Directory's objectGUID as hex (its raw
    bytes, the form a search filter takes back)."""
    if not name:
        return ""
    if name.lower() == "objectguid":
        raw = entry.get("raw_attributes", {}).get(name) or [b""]
        return raw[0].hex()
    value = entry.get("attributes", {}).get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "")


def _find(connection: Connection, login: str) -> tuple[str, dict] | None:
    """(DN, attributes) of the one entry for this login, or None (none, or several)."""
    config = current_app.config
    names = config["LDAP_ATTRIBUTES"]
    wanted = sorted({name for name in names.values() if name})
    connection.search(config["LDAP_BASE_DN"],
                      config["LDAP_USER_FILTER"].format(login=escape_filter_chars(login)),
                      SUBTREE, attributes=wanted, size_limit=2)
    entries = connection.response or []
    entries = [entry for entry in entries if entry.get("type") == "searchResEntry"]
    if len(entries) != 1:
        return None
    return entries[0]["dn"], entries[0]


def _groups(connection: Connection, dn: str) -> set[str]:
    config = current_app.config
    if not config["LDAP_GROUP_NETWORKS"]:
        return set()
    connection.search(config["LDAP_GROUP_BASE_DN"] or config["LDAP_BASE_DN"],
                      config["LDAP_GROUP_FILTER"].format(dn=escape_filter_chars(dn)),
                      SUBTREE, attributes=[])
    return {entry["dn"].lower() for entry in connection.response or []
            if entry.get("type") == "searchResEntry"}


def check_password(login: str, password: str) -> tuple[User, str] | None:
    """The account for a directory login and password (see auth.service.PasswordCheck)."""
    login = (login or "").strip()
    if not login or not password:
        return None
    config = current_app.config
    service = _connection()
    try:
        found = _find(service, login)
        if found is None:
            return None
        dn, entry = found
        try:
            _close(_connection(dn, password))
        except LDAPBindError:
            return None
        groups = _groups(service, dn)
    except LDAPException as error:
        raise DirectoryUnavailable(type(error).__name__) from None
    finally:
        _close(service)
    names = config["LDAP_ATTRIBUTES"]
    assertion = Assertion(
        provider=PROVIDER, subject=_attribute(entry, names["subject"]) or dn.lower(),
        email=_attribute(entry, names["email"]), email_verified=config["LDAP_TRUSTED"],
        first_name=_attribute(entry, names["first_name"]),
        last_name=_attribute(entry, names["last_name"]),
        organisation=_attribute(entry, names.get("organisation", "")), groups=groups)
    user = account_for(assertion)
    mapping = {group.lower(): slug for group, slug in config["LDAP_GROUP_NETWORKS"].items()}
    if mapping:
        apply_directory_groups(user, {mapping[group] for group in groups if group in mapping},
                               set(mapping.values()))
    return user, PROVIDER


def still_there(user: User, provider: str) -> bool:
    """Whether the account's directory entry still exists (a departed agent is removed from
    the directory: their sessions end at the next check)."""
    link = db.session.scalar(db.select(ExternalIdentity).where(
        ExternalIdentity.user_id == user.id, ExternalIdentity.provider == PROVIDER))
    if link is None:
        return False
    config = current_app.config
    connection = _connection()
    try:
        subject_attribute = config["LDAP_ATTRIBUTES"]["subject"]
        if subject_attribute:
            value = link.subject
            if subject_attribute.lower() == "objectguid":
                value = "".join(f"\\{value[i:i + 2]}" for i in range(0, len(value), 2))
            else:
                value = escape_filter_chars(value)
            connection.search(config["LDAP_BASE_DN"], f"({subject_attribute}={value})",
                              SUBTREE, attributes=[], size_limit=1)
        else:
            connection.search(link.subject, "(objectClass=*)", BASE, attributes=[])
        return any(entry.get("type") == "searchResEntry" for entry in connection.response or [])
    except LDAPException as error:
        if "noSuchObject" in type(error).__name__:
            return False
        raise DirectoryUnavailable(type(error).__name__) from None
    finally:
        _close(connection)
