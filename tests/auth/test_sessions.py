"""Signing in and out: sessions that really end, remember-me, disabled accounts, `next`."""
from http.cookies import SimpleCookie

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD
from workspace.auth.models import LoginSession
from workspace.extensions import db


def _cookie(client, name):
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None


def test_sign_in_with_wrong_password_gives_one_message(client, make_user):
    user = make_user()
    wrong = client.post("/login", data={"email": user.email, "password": "not the password!"})
    unknown = client.post("/login", data={"email": "nobody@example.org",
                                          "password": "not the password!"})
    message = "Adresse e-mail ou mot de passe incorrect."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert wrong.status_code == unknown.status_code == 401


def test_email_is_case_insensitive(client, make_user):
    user = make_user(email="thomas.bernard@coulaines.fr")
    response = client.post("/login", data={"email": "  Thomas.Bernard@Coulaines.FR ",
                                           "password": PASSWORD})
    assert response.status_code == 302
    assert user.email == "thomas.bernard@coulaines.fr"


def test_replayed_session_cookie_after_logout_is_refused(app, client, make_user, login):
    user = make_user()
    login(client, user)
    stolen = _cookie(client, "tilt_session")
    assert client.get("/account").status_code == 200
    client.post("/logout")
    assert client.get("/account").status_code == 302

    thief = app.test_client()
    thief.set_cookie("tilt_session", stolen)
    response = thief.get("/account")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_replayed_remember_cookie_after_logout_is_refused(app, client, make_user, login):
    user = make_user()
    login(client, user, remember=True)
    remember = _cookie(client, "tilt_remember")
    assert remember
    # A browser restarted later: no session cookie, only the remember cookie.
    later = app.test_client()
    later.set_cookie("tilt_remember", remember)
    assert later.get("/account").status_code == 200

    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("tilt_remember", remember)
    assert replay.get("/account").status_code == 302


def test_logout_ends_only_this_browser(app, make_user, login):
    user = make_user()
    office, laptop = app.test_client(), app.test_client()
    login(office, user)
    login(laptop, user)
    office.post("/logout")
    assert office.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 200


def test_logout_everywhere_ends_every_browser(app, make_user, login):
    user = make_user()
    office, laptop = app.test_client(), app.test_client()
    login(office, user)
    login(laptop, user, remember=True)
    remember = _cookie(laptop, "tilt_remember")
    office.post("/account/sessions/end-all")
    assert laptop.get("/account").status_code == 302
    replay = app.test_client()
    replay.set_cookie("tilt_remember", remember)
    assert replay.get("/account").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 0


def test_password_change_signs_out_other_browsers_but_not_this_one(app, make_user, login):
    user = make_user()
    office, laptop = app.test_client(), app.test_client()
    login(office, user)
    login(laptop, user, remember=True)
    remember = _cookie(laptop, "tilt_remember")
    response = office.post("/account/password", data={
        "current": PASSWORD, "password": "une nouvelle phrase de passe", "confirm":
        "une nouvelle phrase de passe"})
    assert response.status_code == 302
    assert office.get("/account").status_code == 200
    assert laptop.get("/account").status_code == 302
    replay = app.test_client()
    replay.set_cookie("tilt_remember", remember)
    assert replay.get("/account").status_code == 302
    # the new password works, the old one no longer does
    assert app.test_client().post("/login", data={
        "email": user.email, "password": PASSWORD}).status_code == 401
    assert app.test_client().post("/login", data={
        "email": user.email, "password": "une nouvelle phrase de passe"}).status_code == 302


def test_password_change_needs_current_password(client, make_user, login):
    user = make_user()
    login(client, user)
    response = client.post("/account/password", data={
        "current": "wrong current pw", "password": "une nouvelle phrase de passe",
        "confirm": "une nouvelle phrase de passe"})
    assert "Le mot de passe actuel est incorrect." in response.get_data(as_text=True)
    assert client.get("/account").status_code == 200


def test_disabled_account_is_locked_out_at_next_request(client, make_user, login):
    user = make_user()
    login(client, user)
    assert client.get("/account").status_code == 200
    user.is_active = False
    db.session.commit()
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    again = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert again.status_code == 401


def test_invited_account_without_password_cannot_sign_in(client, make_user):
    user = make_user(password=None)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 401


@pytest.mark.parametrize(("target", "expected"), [
    ("/directory", "/directory"),
    ("//evil.example", "/"),
    ("//evil.example/path", "/"),
    ("/\\evil.example", "/"),
    ("https://evil.example/", "/"),
    ("javascript:alert(1)", "/"),
    ("/\t/evil.example", "/"),
])
def test_next_parameter_only_leads_inside_the_site(client, make_user, target, expected):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_login_page_keeps_next_from_query(client):
    page = client.get("/login?next=/directory").get_data(as_text=True)
    assert 'value="/directory"' in page


def test_protected_page_redirects_to_login_with_next(client):
    response = client.get("/directory")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_expired_session_is_refused(client, make_user, login):
    from datetime import timedelta

    from workspace.core.models import utcnow

    user = make_user()
    login(client, user)
    for row in db.session.scalars(select(LoginSession)):
        row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/account").status_code == 302


def test_cookies_are_httponly_and_samesite(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "remember": "y"})
    cookies = [SimpleCookie(header) for header in response.headers.getlist("Set-Cookie")]
    by_name = {name: morsel for cookie in cookies for name, morsel in cookie.items()}
    for name in ("tilt_session", "tilt_remember"):
        assert by_name[name]["httponly"]
        assert by_name[name]["samesite"].lower() == "lax"
