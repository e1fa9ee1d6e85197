"""Two hosts on one machine, as production would run them side by side: each is gunicorn
and a `flask worker` with a data folder of its own (its search index and cursor); both
share one PostgreSQL database, one file store (WORKSPACE_FILES_DIR) and Redis for the
sign-in throttling. A person's session cookie works on either (no sticky sessions).

Checked end to end, through HTTP: a post written through host 1 is found through host 2;
an edit made through host 1 shows on host 2's already-viewed topic page (fragment caches);
a file uploaded through host 1 downloads and is found through host 2; failed sign-ins on
one host count on the other; a host whose worker was stopped catches up when it starts
again; a new host starts from a rebuild and then follows.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from flask_migrate import upgrade

from config import TestingConfig
from tests.conftest import ROOT_DIR, require
from tests.databases import postgres_available, temporary_postgres_database
from workspace import create_app
from workspace.extensions import db

PG_SERVER = os.environ.get("WORKSPACE_TEST_DATABASE_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = "redis://127.0.0.1:6379/14"
PASSWORD = "correct horse battery staple"
pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Host:
    """gunicorn (2 threads) and `flask worker`, with this host's own data folder."""

    def __init__(self, name: str, shared: dict[str, str], data_dir: Path):
        self.name, self.port = name, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "WORKSPACE_ENV": "testing", "PYTHONPATH": str(ROOT_DIR),
                    **{f"WORKSPACE_{key}": value for key, value in shared.items()},
                    "WORKSPACE_DATA_DIR": str(data_dir), "WORKSPACE_PUBLIC_URL": self.url}
        self.log = data_dir.parent / f"{name}.log"
        self.server: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    def start(self) -> Host:
        self.start_worker()
        with self.log.open("ab") as log:
            self.server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "2",
                 "-b", f"127.0.0.1:{self.port}", "wsgi:app"],
                cwd=ROOT_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        _wait_until(self._answers, f"{self.name} to answer", self)
        return self

    def start_worker(self) -> None:
        with self.log.open("ab") as log:
            self.worker = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--poll", "0.1"],
                cwd=ROOT_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def stop_worker(self) -> None:
        _stop(self.worker)
        self.worker = None

    def stop(self) -> None:
        _stop(self.server)
        self.stop_worker()

    def _answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/login", timeout=2).status_code == 200
        except requests.RequestException:
            return False


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_until(condition, what: str, host: Host | None = None, timeout: float = 90) -> float:
    """Poll until true; returns the seconds it took. The timeout only bounds a broken run
    (no timing is asserted here: bench/capacity.py measures)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            detail = host.log.read_text(errors="replace")[-3000:] if host else ""
            raise AssertionError(f"timed out waiting for {what}\n{detail}")
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.fixture
def site(tmp_path):
    """A migrated PostgreSQL database with a network, two members, a forum topic."""
    require(postgres_available(PG_SERVER), "PostgreSQL is not reachable on 127.0.0.1:5432")
    require(_redis_available(), "Redis is not reachable on 127.0.0.1:6379")
    with temporary_postgres_database(PG_SERVER, prefix="tilt_hosts") as url:
        shared = {"SQLALCHEMY_DATABASE_URI": url, "FILES_DIR": str(tmp_path / "files"),
                  "RATELIMIT_STORAGE_URI": REDIS_URL,
                  "RATELIMIT_KEY_PREFIX": f"tilt-hosts-{uuid.uuid4().hex}",
                  "MAIL_TRANSPORT": "file"}
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url,
                         DATA_DIR=str(tmp_path / "setup"), FILES_DIR=shared["FILES_DIR"])
        with app.app_context():
            upgrade()
            world = _world()
            db.session.remove()
            db.engine.dispose()
        hosts: list[Host] = []

        def start(name: str) -> Host:
            host = Host(name, shared, tmp_path / name / "data")
            (tmp_path / name).mkdir(exist_ok=True)
            hosts.append(host)
            return host.start()

        try:
            yield world, start
        finally:
            for host in hosts:
                host.stop()


def _world() -> dict:
    from workspace.auth.models import User
    from workspace.auth.service import set_password
    from workspace.forums import service as forums
    from workspace.networks.models import ROLE_COORDINATOR, ROLE_MEMBER, Membership, Network

    network = Network(name="Réseau informatique", slug="reseau-informatique", is_private=True)
    alice = User(email="alice@coulaines.test", first_name="Alice", last_name="Martin",
                 locale="fr")
    claire = User(email="claire@lemans.test", first_name="Claire", last_name="Moreau",
                  locale="fr")
    for user in (alice, claire):
        set_password(user, PASSWORD)
    db.session.add_all([network, alice, claire,
                        Membership(network=network, user=alice, role=ROLE_MEMBER),
                        Membership(network=network, user=claire, role=ROLE_COORDINATOR)])
    db.session.flush()
    category = forums.save_category(claire, network, None, name="Messagerie")
    first = forums.create_topic(claire, category, "Migration Zimbra",
                                "Qui a migré ses boîtes aux lettres ?")
    db.session.commit()
    return {"slug": network.slug, "topic": first.topic_id, "alice": alice.email}


def _signed_in(host: Host, email: str) -> requests.Session:
    session = requests.Session()
    response = session.post(f"{host.url}/login", data={"email": email, "password": PASSWORD},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text[:500]
    return session


def _found(session: requests.Session, host: Host, word: str) -> bool:
    page = session.get(f"{host.url}/search", params={"q": word}, timeout=30)
    assert page.status_code == 200
    return word in page.text and "Aucun résultat" not in page.text


def _reply(session, host: Host, world: dict, body: str) -> int:
    response = session.post(f"{host.url}/n/{world['slug']}/forum/t/{world['topic']}/reply",
                            data={"body": body}, allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text[:500]
    return int(re.search(r"post-(\d+)", response.headers["Location"]).group(1))


def test_two_hosts_share_everything_but_their_index(site):
    world, start = site
    one, two = start("host1"), start("host2")
    alice_one = _signed_in(one, world["alice"])
    alice_two = requests.Session()  # the same cookie on the other host: no sticky sessions
    alice_two.cookies.update(alice_one.cookies)
    topic_url = f"/n/{world['slug']}/forum/t/{world['topic']}"
    assert alice_two.get(two.url + topic_url, timeout=30).status_code == 200

    # a post written through host 1 is found through host 2
    word = f"zygomorphe{uuid.uuid4().hex[:6]}"
    post_id = _reply(alice_one, one, world, f"Le relais {word} est migré.")
    delay = _wait_until(lambda: _found(alice_two, two, word), "host 2 to find the post", two)
    print(f"post written through host 1 found through host 2 after {delay:.2f} s")

    # an edit through host 1 shows on host 2's topic page, already rendered and kept
    assert word in alice_two.get(two.url + topic_url, timeout=30).text
    edit_url = f"{one.url}/n/{world['slug']}/forum/p/{post_id}/edit"
    form = alice_one.get(edit_url, timeout=30).text
    revision = re.search(r'name="revision"[^>]*value="(\d+)"', form) or re.search(
        r'value="(\d+)"[^>]*name="revision"', form)
    edited = alice_one.post(edit_url, data={"body": "Relais migré, texte corrigé.",
                                            "revision": revision.group(1)},
                            allow_redirects=False, timeout=30)
    assert edited.status_code == 302, edited.text[:500]
    page = alice_two.get(two.url + topic_url, timeout=30).text
    assert "texte corrigé" in page and word not in page

    # a file uploaded through host 1: downloaded and found through host 2
    content = f"Procédure de sauvegarde {word}bis des serveurs.\n".encode()
    uploaded = alice_one.post(f"{one.url}/n/{world['slug']}/documents/upload",
                              files={"files": ("procedure.txt", content, "text/plain")},
                              allow_redirects=False, timeout=30)
    assert uploaded.status_code == 302, uploaded.text[:500]
    document = re.search(r"/documents/(\d+)", uploaded.headers["Location"]).group(1)
    download = alice_two.get(f"{two.url}/n/{world['slug']}/documents/{document}/download",
                             timeout=30)
    assert download.status_code == 200 and download.content == content
    _wait_until(lambda: _found(alice_two, two, f"{word}bis"), "host 2 to find the file", two)

    # failed sign-ins count on both hosts (Redis): the 11th for one account is refused
    stranger = requests.Session()
    codes = [stranger.post(f"{host.url}/login",
                           data={"email": world["alice"], "password": "wrong!!wrong!!"},
                           allow_redirects=False, timeout=30).status_code
             for host in [one, two] * 5]
    assert codes == [401] * 10, codes
    refused = stranger.post(f"{two.url}/login",
                            data={"email": world["alice"], "password": PASSWORD},
                            allow_redirects=False, timeout=30)
    assert refused.status_code == 429

    # host 2's worker stops: its index falls behind; started again, it catches up
    two.stop_worker()
    late = f"retardataire{uuid.uuid4().hex[:6]}"
    _reply(alice_one, one, world, f"Message {late} écrit pendant l'arrêt.")
    _wait_until(lambda: _found(alice_one, one, late), "host 1 to find the late post", one)
    assert not _found(alice_two, two, late)
    two.start_worker()
    _wait_until(lambda: _found(alice_two, two, late), "host 2 to catch up", two)

    # a new host: an empty data folder, so a rebuild, then it follows
    three = start("host3")
    alice_three = requests.Session()
    alice_three.cookies.update(alice_one.cookies)
    _wait_until(lambda: _found(alice_three, three, late), "host 3 to rebuild", three)
    newest = f"nouveau{uuid.uuid4().hex[:6]}"
    _reply(alice_one, one, world, f"Encore un {newest}.")
    _wait_until(lambda: _found(alice_three, three, newest), "host 3 to follow", three)
