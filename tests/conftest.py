"""Shared fixtures: a fresh app per test on a database migrated once per run, a real SMTP
server (aiosmtpd), factories for users and networks, a sign-in helper, and the fixtures
several test folders share (signed-in clients, the predicate tests' roles, a searcher).

The database is SQLite by default; with WORKSPACE_TEST_DATABASE_URL pointing at a PostgreSQL
server, a database with a unique name is created for the run and dropped at the end.
"""
from __future__ import annotations

import contextvars
import itertools
import os
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import has_app_context
from flask_login import AnonymousUserMixin
from sqlalchemy import text

from config import TestingConfig
from tests.databases import temporary_postgres_database
from tests.roles import Roles
from workspace import create_app
from workspace.extensions import db

PASSWORD = "correct horse battery staple"
ROOT_DIR = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip on a developer machine that lacks a service; in CI a missing service fails."""
    if not condition:
        if IN_CI:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)


# --- database ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    server_url = os.environ.get("WORKSPACE_TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        return
    with temporary_postgres_database(server_url) as url:
        yield url


@pytest.fixture(scope="session")
def migrated_database(database_url, tmp_path_factory):
    """Upgrade the empty test database through every migration, once per run."""
    from flask_migrate import upgrade

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url,
                     DATA_DIR=str(tmp_path_factory.mktemp("migrate")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on a free local port; messages land in `smtp_server.messages`."""
    from aiosmtpd.controller import Controller

    class Collector:
        def __init__(self):
            self.messages: list[EmailMessage] = []
            self.lock = threading.Lock()

        async def handle_DATA(self, server, session, envelope):
            message = message_from_bytes(envelope.original_content, policy=policy.default)
            message.envelope_to = list(envelope.rcpt_tos)
            with self.lock:
                self.messages.append(message)
            return "250 OK"

    port = _free_port()
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app_config(tmp_path, migrated_database, smtp_server):
    """Settings of the test app; a test may change them before asking for `app`."""
    return {"SQLALCHEMY_DATABASE_URI": migrated_database, "DATA_DIR": str(tmp_path / "data"),
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


@pytest.fixture
def app(app_config, smtp_server):
    app = create_app(TestingConfig, **app_config)
    app.wsgi_app = _isolated(app.wsgi_app)
    smtp_server.messages.clear()
    from workspace.extensions import limiter

    limiter.reset()  # throttling counters start empty in every test
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


def _isolated(wsgi_app):
    """Run each test-client request in an empty context, as a server would: its own app
    context, `g` and database session, not the test's. Afterwards the test's session ends its
    transaction, so that the test reads what the request committed."""

    def run(environ, start_response):
        try:
            return contextvars.Context().run(wsgi_app, environ, start_response)
        finally:
            if has_app_context():
                db.session.rollback()
                db.session.expire_all()  # re-read what the request changed

    return run


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        connection = connection.execution_options(index_changes=False)
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def mailbox(smtp_server, app):
    """Messages received by the SMTP server, after running the queued jobs."""
    from workspace.core.jobs import run_pending_jobs

    class Mailbox:
        def deliver(self) -> list[EmailMessage]:
            run_pending_jobs()
            return list(smtp_server.messages)

        def to(self, address: str) -> list[EmailMessage]:
            return [m for m in self.deliver() if address in m.envelope_to]

        def clear(self) -> None:
            run_pending_jobs()
            smtp_server.messages.clear()

    return Mailbox()


# --- factories -----------------------------------------------------------------------------

_counter = itertools.count(1)


@pytest.fixture
def make_organisation(app):
    from workspace.communes.models import Organisation

    def make(name: str | None = None, **over) -> Organisation:
        from slugify import slugify

        name = name or f"Commune {next(_counter)}"
        organisation = Organisation(name=name, slug=slugify(name), **over)
        db.session.add(organisation)
        db.session.commit()
        return organisation

    return make


@pytest.fixture
def make_user(app):
    from workspace.auth.models import User
    from workspace.auth.service import set_password

    def make(email: str | None = None, password: str | None = PASSWORD, **over) -> User:
        n = next(_counter)
        values = {"first_name": f"Prénom{n}", "last_name": f"Nom{n}", "locale": "fr"}
        values.update(over)
        user = User(email=email or f"user{n}@example.org", **values)
        if password:
            set_password(user, password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_network(app):
    from workspace.networks.models import ROLE_COORDINATOR, ROLE_MEMBER, Membership, Network

    def make(name: str | None = None, members=(), coordinators=(), is_private=True,
             **over) -> Network:
        from slugify import slugify

        name = name or f"Réseau {next(_counter)}"
        network = Network(name=name, slug=slugify(name), is_private=is_private, **over)
        db.session.add(network)
        for user in members:
            db.session.add(Membership(network=network, user=user, role=ROLE_MEMBER))
        for user in coordinators:
            db.session.add(Membership(network=network, user=user, role=ROLE_COORDINATOR))
        db.session.commit()
        return network

    return make


@pytest.fixture
def login():
    """Sign a test client in through the real sign-in form."""

    def sign_in(client, user, password: str = PASSWORD, remember: bool = False):
        response = client.post("/login", data={"email": user.email, "password": password,
                                               "remember": "y" if remember else ""})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return sign_in


# --- fixtures shared by several test folders -----------------------------------------------
# A folder's conftest.py may override one of these with its own (tests/privacy/ does for
# `signed_in`: one client that switches users).

@pytest.fixture
def signed_in(app, login):
    """signed_in(user) -> a new test client signed in as that user."""

    def make(user):
        client = app.test_client()
        login(client, user)
        return client

    return make


@pytest.fixture
def roles(make_user, make_network, make_organisation) -> Roles:
    """The five kinds of people of the predicate tests (tests/roles.py)."""
    commune = make_organisation("Coulaines")
    member = make_user(first_name="Marie", organisation_id=commune.id)
    coordinator = make_user(first_name="Claire")
    admin = make_user(first_name="Anne", is_admin=True)
    outsider = make_user(first_name="Oscar")
    network = make_network("Réseau informatique", members=[member], coordinators=[coordinator])
    make_network("Réseau patrimoine", members=[outsider])
    return Roles(network, member, coordinator, admin, outsider, AnonymousUserMixin())


@pytest.fixture
def searcher_of(client, login):
    """search_as(user, query, **args) -> the page's text, after signing `user` in."""
    signed_in = {}

    def search_as(user, q: str, **args):
        if signed_in.get("user") is not user:
            client.post("/logout")
            login(client, user)
            signed_in["user"] = user
        response = client.get("/search", query_string={"q": q, **args})
        assert response.status_code == 200
        return text_of(response)

    return search_as


def text_of(response) -> str:
    """The page's HTML with entities decoded, for assertions on visible text."""
    import html

    return html.unescape(response.get_data(as_text=True))
