"""Security baseline: headers, CSRF, cookies in production, secret key, error pages."""
import pytest

from config import DEFAULT_SECRET_KEY, ProductionConfig
from tests.conftest import PASSWORD
from workspace import create_app


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script(client, make_user, login):
    login(client, make_user())
    for path in ("/login", "/", "/networks/", "/directory", "/account"):
        page = client.get(path).get_data(as_text=True)
        for chunk in page.split("<script")[1:]:
            assert chunk.split(">", 1)[0].strip().startswith("src="), (path, chunk[:80])
        assert " style=" not in page and "onclick" not in page.lower()


def test_signed_in_pages_are_not_cached(client, make_user, login):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    login(client, make_user())
    assert client.get("/directory").headers["Cache-Control"] == "private, no-store"


def test_post_without_csrf_token_is_refused_with_a_clear_page(app, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user()
    response = app.test_client().post("/login", data={"email": user.email,
                                                      "password": PASSWORD})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "jeton de sécurité" in page and "<main" in page


def test_csrf_token_lets_the_form_through(app, make_user):
    import re

    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302


def test_error_pages_use_the_site_layout(client):
    response = client.get("/no-such-page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page introuvable" in page and 'lang="fr"' in page and "<nav" in page


def test_unexpected_error_gives_the_500_page_and_rolls_back(app):
    app.config["SHOW_ERROR_PAGES"] = True

    @app.get("/boom-test")
    def boom():
        raise RuntimeError("unexpected")

    response = app.test_client().get("/boom-test")
    assert response.status_code == 500
    assert "Erreur interne" in response.get_data(as_text=True)


def test_413_page(app):
    app.config["MAX_CONTENT_LENGTH"] = 10
    response = app.test_client().post("/login", data={"email": "x" * 100})
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.get_data(as_text=True)


def test_403_page(app, make_user, login):
    client = app.test_client()
    login(client, make_user())
    response = client.get("/networks/new")
    assert response.status_code == 403
    assert "Accès refusé" in response.get_data(as_text=True)


@pytest.mark.parametrize("secret", [None, DEFAULT_SECRET_KEY, "short"])
def test_production_refuses_a_missing_or_default_secret(tmp_path, monkeypatch, secret):
    monkeypatch.setenv("WORKSPACE_PUBLIC_URL", "https://tilt.lemansmetropole.fr")
    monkeypatch.setenv("WORKSPACE_DATA_DIR", str(tmp_path))
    if secret:
        monkeypatch.setenv("WORKSPACE_SECRET_KEY", secret)
    else:
        monkeypatch.delenv("WORKSPACE_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_starts_with_a_real_secret_and_secure_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSPACE_PUBLIC_URL", "https://tilt.lemansmetropole.fr")
    monkeypatch.setenv("WORKSPACE_SECRET_KEY", "x" * 48)
    monkeypatch.setenv("WORKSPACE_DATA_DIR", str(tmp_path))
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
