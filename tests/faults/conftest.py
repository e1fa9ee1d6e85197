"""Fixtures of the fault tests: a database that can be taken away and brought back, a
PostgreSQL database for the PostgreSQL-only tests, an SMTP server that refuses or stops, and
`flask worker` processes started (and killed) by the test.

Every fault is real: connections cut by PostgreSQL (`pg_terminate_backend`), a database that
refuses connections, a SQLite file whose folder is gone, an SMTP port closed, a worker
process killed with SIGKILL.
"""
from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager, suppress
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from config import TestingConfig
from tests.conftest import ROOT_DIR, _free_port, require
from tests.databases import postgres_available, temporary_postgres_database
from workspace import create_app
from workspace.extensions import db

PG_SERVER = os.environ.get("WORKSPACE_TEST_DATABASE_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


@pytest.fixture
def app_config(app_config):
    """The error pages are drawn (not raised to the test), as in production."""
    return {**app_config, "SHOW_ERROR_PAGES": True}


# --- PostgreSQL ----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def postgres_database(migrated_database, tmp_path_factory):
    """A migrated PostgreSQL database: the run's own when the run is on PostgreSQL, else one
    made for these tests on the local server (skipped without it, failed in CI)."""
    if is_postgres(migrated_database):
        yield migrated_database
        return
    require(postgres_available(PG_SERVER), "PostgreSQL is not reachable on 127.0.0.1:5432")
    from flask_migrate import upgrade

    with temporary_postgres_database(PG_SERVER, prefix="tilt_faults") as url:
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url,
                         DATA_DIR=str(tmp_path_factory.mktemp("faults-migrate")))
        with app.app_context():
            upgrade()
            db.engine.dispose()
        yield url


def _admin_engine(url: str, database: str | None = None):
    target = make_url(url)
    if database:
        target = target.set(database=database)
    return create_engine(target, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def terminate_backends(url: str) -> int:
    """Cut every connection to the database of `url` from a separate admin connection, as a
    restart or an administrator would; return how many were cut."""
    engine = _admin_engine(url)
    try:
        with engine.connect() as connection:
            return len(connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).all())
    finally:
        engine.dispose()


@contextmanager
def postgres_away(url: str):
    """The database refuses new connections and its open ones are cut; back afterwards."""
    name = make_url(url).database
    engine = _admin_engine(url, database="postgres")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
            connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
        yield
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))
        engine.dispose()


# --- SQLite --------------------------------------------------------------------------------

def sqlite_copy(url: str, folder: Path) -> str:
    """A private copy of the migrated SQLite database (SQLite's backup API), so that taking
    its folder away disturbs no other test."""
    folder.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(make_url(url).database)
    target = sqlite3.connect(folder / "copy.sqlite")
    with target:
        source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{folder / 'copy.sqlite'}"


@contextmanager
def sqlite_away(url: str):
    """The database file's folder is moved away (as root, a chmod would not stop SQLite):
    new connections fail with "unable to open database file". Moved back afterwards."""
    folder = Path(make_url(url).database).parent
    hidden = folder.with_name(folder.name + "-away")
    db.session.remove()
    db.engine.dispose()  # pooled connections keep their open file: close them
    folder.rename(hidden)
    try:
        yield
    finally:
        hidden.rename(folder)


@contextmanager
def database_away(url: str):
    with (postgres_away(url) if is_postgres(url) else sqlite_away(url)):
        yield


# --- SMTP ----------------------------------------------------------------------------------

class SmtpCollector:
    """An aiosmtpd handler: keeps the messages it accepts, or refuses them with `refusal`
    (e.g. "451 4.3.0 Réessayez plus tard", "554 5.7.1 Refusé")."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refusal: str | None = None
        self.on_data = None  # called before accepting a message (the test's hook)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.refusal:
            return self.refusal
        if self.on_data:
            self.on_data()
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"


class StoppableSmtpServer:
    """A real SMTP server (aiosmtpd) on a fixed local port that can be stopped (the port
    is closed: connections are refused) and started again on the same port."""

    def __init__(self):
        self.port = _free_port()
        self.handler = SmtpCollector()
        self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mail_server(app):
    """A server of this test's own, used by the application instead of the shared one."""
    server = StoppableSmtpServer()
    server.start()
    app.config["MAIL_PORT"] = server.port
    yield server
    server.stop()


# --- worker processes ----------------------------------------------------------------------

class WorkerProcess:
    """`flask --app wsgi worker` in a child process, configured by WORKSPACE_* variables."""

    def __init__(self, settings: dict[str, str]):
        env = {**os.environ, "WORKSPACE_ENV": "testing", "PYTHONPATH": str(ROOT_DIR),
               **{f"WORKSPACE_{name}": value for name, value in settings.items()}}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--poll", "0.05"],
            cwd=ROOT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        """SIGKILL: no handler runs, no transaction ends, as when the machine dies."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> str:
        """SIGTERM (the current job finishes first); return what the worker printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        output, _ = self.process.communicate(timeout=60)
        return output.decode(errors="replace")


@pytest.fixture
def start_worker():
    started: list[WorkerProcess] = []

    def start(settings: dict[str, str]) -> WorkerProcess:
        worker = WorkerProcess(settings)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.kill()


def wait_until(condition, timeout: float = 60, message: str = "condition") -> None:
    """Poll `condition` until true; the timeout only bounds a broken run (no timing is
    asserted)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(0.05)


# --- a TCP relay to a real server ----------------------------------------------------------

class TcpRelay:
    """A relay on a free local port to a real server (Redis at 127.0.0.1:6379): stopping it
    is the server going away for the application (open connections closed, port closed)
    without disturbing the server itself; starting it again brings it back."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = _free_port()
        self.listener: socket.socket | None = None
        self.open: list[socket.socket] = []

    def start(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen()
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self) -> None:
        if self.listener is not None:
            with suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread in accept()
            self.listener.close()
            self.listener = None
        for connection in self.open:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        self.open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            server = socket.create_connection(self.target)
            self.open += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
