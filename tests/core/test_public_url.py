"""Links in e-mails point at the server people use: in development, the port it is served on."""
from __future__ import annotations

from config import DevelopmentConfig
from workspace import create_app
from workspace.core.urls import public_url


def test_development_links_follow_the_port(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKSPACE_PUBLIC_URL", raising=False)
    monkeypatch.setenv("WORKSPACE_PORT", "8123")  # what `make run PORT=8123` exports
    app = create_app(DevelopmentConfig, DATA_DIR=str(tmp_path))
    with app.test_request_context():
        assert public_url("auth.login") == "http://127.0.0.1:8123/login"


def test_a_public_url_that_is_set_wins_over_the_port(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSPACE_PUBLIC_URL", "https://tilt.example.fr/")
    monkeypatch.setenv("WORKSPACE_PORT", "8123")
    app = create_app(DevelopmentConfig, DATA_DIR=str(tmp_path))
    assert app.config["PUBLIC_URL"] == "https://tilt.example.fr"
    assert not app.config["PUBLIC_URL_FROM_PORT"]
