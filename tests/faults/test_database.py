"""The database goes away: a French 503 page with Retry-After, nothing half written, and
the site works again as soon as the database is back (SQLite and PostgreSQL)."""
import flask_login
import pytest
from sqlalchemy import func, select

from config import TestingConfig
from tests.conftest import PASSWORD, text_of
from tests.faults.conftest import database_away, is_postgres, sqlite_copy
from workspace import create_app
from workspace.auth.models import LoginSession
from workspace.extensions import db


@pytest.fixture
def app_config(app_config, tmp_path):
    """On SQLite, a private copy of the database (its folder is taken away by the tests)."""
    url = app_config["SQLALCHEMY_DATABASE_URI"]
    if not is_postgres(url):
        url = sqlite_copy(url, tmp_path / "db-copy")
    return {**app_config, "SQLALCHEMY_DATABASE_URI": url}


def assert_unavailable(response) -> str:
    page = text_of(response)
    assert response.status_code == 503, page[:500]
    assert response.headers["Retry-After"] == "30"
    assert "Service momentanément indisponible" in page
    assert "Rien n'a été enregistré" in page
    return page


def sessions_of(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(LoginSession)
                             .where(LoginSession.user_id == user_id))


def test_an_unreachable_database_gives_the_503_page(app_config, tmp_path):
    url = app_config["SQLALCHEMY_DATABASE_URI"]
    nowhere = ("postgresql+psycopg://postgres@127.0.0.1:1/nowhere" if is_postgres(url)
               else f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite'}")
    app = create_app(TestingConfig, **{**app_config, "SQLALCHEMY_DATABASE_URI": nowhere})
    client = app.test_client()
    assert_unavailable(client.post("/login", data={"email": "claire@example.org",
                                                   "password": PASSWORD}))
    # a signed-in browser: its session cannot be read; the page is drawn for a visitor
    with client.session_transaction() as session:
        session["_user_id"] = "a-session-token"
    page = assert_unavailable(client.get("/"))
    assert "Se déconnecter" not in page


def test_the_site_works_again_when_the_database_is_back(app, client, make_user, login):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    claire, marc = make_user(first_name="Claire"), make_user()
    marc_email, marc_id = marc.email, marc.id
    login(client, claire)
    other = app.test_client()
    with database_away(url):
        assert "Se déconnecter" not in assert_unavailable(client.get("/"))
        # a sign-in while the database is away: refused whole, nothing half written
        assert_unavailable(other.post("/login", data={"email": marc_email,
                                                      "password": PASSWORD}))
        assert_unavailable(client.get("/"))  # and again: nothing is stuck either way
    db.session.rollback()
    assert sessions_of(marc_id) == 0
    # back: the same browser is still signed in, the pool gives working connections
    home = client.get("/")
    assert home.status_code == 200 and "Claire" in text_of(home)
    assert other.post("/login", data={"email": marc_email,
                                      "password": PASSWORD}).status_code == 302
    assert sessions_of(marc_id) == 1


def test_the_flask_login_version_the_503_page_relies_on():
    """core/errors.py draws the 503 page signed out through Flask-Login's `g._login_user`
    (no public way): an upgrade of Flask-Login must re-check it (the tests above)."""
    assert flask_login.__version__ == "0.6.3"
