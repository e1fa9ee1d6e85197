"""The reply mailbox of the tests: Debian's dovecot, started by .ci/run through
tests/servers/dovecot.sh (IMAP with STARTTLS on 127.0.0.1:10143). Each pytest worker has a
mailbox of its own (user "tilt-<worker>"): parallel tests never poll each other's mail. Each
test starts from an empty mailbox."""
from __future__ import annotations

import os
import socket
import ssl
from pathlib import Path

import pytest

from tests.conftest import require
from workspace.extensions import db
from workspace.forums import service as forums

DOVECOT_DIR = Path(os.environ.get("TILT_DOVECOT_DIR", "/tmp/tilt-test-servers/dovecot"))
PORT = int(os.environ.get("TILT_DOVECOT_PORT", "10143"))
ADDRESS = "tilt@lemans.test"
USER = "tilt-" + os.environ.get("PYTEST_XDIST_WORKER", "main")


def _listening() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", PORT), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def imap_settings():
    require(_listening() and (DOVECOT_DIR / "ca.pem").exists(),
            f"dovecot is not running on 127.0.0.1:{PORT} (tests/servers/dovecot.sh start)")
    return {"MAILIN_IMAP_HOST": "127.0.0.1", "MAILIN_IMAP_PORT": PORT,
            "MAILIN_IMAP_SECURITY": "starttls", "MAILIN_IMAP_USERNAME": USER,
            "MAILIN_IMAP_PASSWORD": "tilt-test", "MAILIN_IMAP_TIMEOUT": 20,
            "MAILIN_IMAP_CA_FILE": str(DOVECOT_DIR / "ca.pem"), "MAILIN_ADDRESS": ADDRESS}


@pytest.fixture
def app_config(app_config, request):
    """The mailbox's settings for the tests that use it (`imap`, `app_with_mailin`); the
    others see the default: the feature off."""
    if {"imap", "app_with_mailin"} & set(request.fixturenames):
        return {**app_config, **request.getfixturevalue("imap_settings")}
    return app_config


@pytest.fixture
def app_with_mailin(app):
    return app


class Mailbox:
    """The test's side of the IMAP mailbox: deliver messages, count them per folder."""

    def _client(self):
        from imapclient import IMAPClient

        client = IMAPClient("127.0.0.1", port=PORT, ssl=False, timeout=60)
        client.starttls(ssl.create_default_context(cafile=str(DOVECOT_DIR / "ca.pem")))
        client.login(USER, "tilt-test")
        return client

    def empty(self) -> None:
        client = self._client()
        try:
            for _flags, _sep, name in client.list_folders():
                client.select_folder(name)
                uids = client.search("ALL")
                if uids:
                    client.delete_messages(uids)
                    client.expunge()
                client.unselect_folder()
                if name != "INBOX":
                    client.delete_folder(name)
        finally:
            client.logout()

    def deliver(self, message) -> None:
        client = self._client()
        try:
            client.append("INBOX", bytes(message) if not isinstance(message, bytes)
                          else message)
        finally:
            client.logout()

    def poll(self, **options):
        """What the `mailin.poll` job does, once."""
        from workspace.mailin.imap import poll

        return poll(**options)

    def count(self, folder: str) -> int:
        client = self._client()
        try:
            if not client.folder_exists(folder):
                return 0
            return int(client.folder_status(folder, ["MESSAGES"])[b"MESSAGES"])
        finally:
            client.logout()


@pytest.fixture
def imap(app):
    box = Mailbox()
    box.empty()
    yield box
    box.empty()


@pytest.fixture
def topic_of(make_user, make_network):
    """(network, topic, alice, bob, coordinator, outsider): a topic opened by the
    coordinator in a private network where alice and bob are members."""
    alice = make_user(first_name="Alice", last_name="Martin", email="alice@coulaines.test")
    bob = make_user(first_name="Bob", last_name="Durand", email="bob@allonnes.test")
    coordinator = make_user(first_name="Claire", last_name="Moreau")
    outsider = make_user(first_name="Oscar", last_name="Dehors", email="oscar@sarthe.test")
    network = make_network("Réseau informatique", members=[alice, bob],
                           coordinators=[coordinator])
    make_network("Réseau patrimoine", members=[outsider])
    category = forums.save_category(coordinator, network, None, name="Messagerie Zimbra")
    post = forums.create_topic(coordinator, category, "Migration des imprimantes",
                               "Qui passe à la nouvelle file d'impression ?")
    db.session.commit()
    return network, post.topic, alice, bob, coordinator, outsider
