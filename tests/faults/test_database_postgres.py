"""PostgreSQL cuts the application's connections (a restart, a failover, an administrator's
`pg_terminate_backend`): between requests nobody notices; during a request, that request
gets the 503 page with nothing written, and the next one works."""
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD, text_of
from tests.faults.conftest import terminate_backends
from tests.faults.test_database import assert_unavailable, sessions_of
from workspace.auth.models import LoginSession, User
from workspace.extensions import db

pytestmark = pytest.mark.postgres


@pytest.fixture
def app_config(app_config, postgres_database):
    return {**app_config, "SQLALCHEMY_DATABASE_URI": postgres_database}


def test_connections_cut_between_requests_cost_no_request(app, client, make_user, login):
    login(client, make_user(first_name="Claire"))
    assert client.get("/").status_code == 200  # the pool now holds a connection
    assert terminate_backends(app.config["SQLALCHEMY_DATABASE_URI"]) >= 1
    home = client.get("/")  # the pooled connection is found dead before use, and replaced
    assert home.status_code == 200 and "Claire" in text_of(home)


def test_a_connection_cut_during_a_request_gives_503_and_writes_nothing(app, client,
                                                                        make_user):
    user = make_user()
    user_id, email = user.id, user.email
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    cut: list[int] = []

    def cut_while_signing_in(session, flush_context):
        """After the sign-in's rows were sent, before COMMIT: the connection is cut."""
        if not cut and any(isinstance(row, LoginSession) for row in session.new):
            cut.append(terminate_backends(url))

    event.listen(Session, "after_flush", cut_while_signing_in)
    try:
        response = client.post("/login", data={"email": email, "password": PASSWORD})
    finally:
        event.remove(Session, "after_flush", cut_while_signing_in)
    assert cut and cut[0] >= 1
    assert_unavailable(response)
    db.session.rollback()
    # nothing half written: no session row, no last sign-in time, the browser signed out
    assert sessions_of(user_id) == 0
    assert db.session.scalar(select(User.last_login_at).where(User.id == user_id)) is None
    assert client.get("/").status_code == 302
    # the next request has a working connection: signing in again works
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    assert sessions_of(user_id) == 1
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1
