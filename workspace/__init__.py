"""The Tilt workspace for the technician networks of Le Mans Métropole."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class=None, **overrides) -> Flask:
    """Build the application: config, extensions, blueprints, CLI, error pages."""
    from config import DEFAULT_SECRET_KEY, ProductionConfig, config_from_env

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config_class or config_from_env())
    app.config.from_prefixed_env("WORKSPACE")
    app.config.update(overrides)
    _finish_config(app)
    if issubclass(config_class or config_from_env(), ProductionConfig):
        _refuse_weak_production_config(app, DEFAULT_SECRET_KEY)

    from workspace.core import init_core

    init_core(app)

    from workspace import (activity, admin, auth, backup, calendar, communes, directory,
                           documents, exports, forums, home, inventory, meetings, needs, networks,
                           notifications, plan, privacy, search, tutorials, workshops)

    for feature in (auth, communes, networks, directory, documents, forums, meetings, workshops,
                    needs, calendar, exports, plan, inventory, tutorials, notifications, activity,
                    privacy, backup, search, home, admin):
        feature.init_app(app)
    return app


def _finish_config(app: Flask) -> None:
    """Derive the settings that depend on others (data folder, database URI)."""
    data_dir = Path(app.config["DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    app.config["DATA_DIR"] = str(data_dir)
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{data_dir / 'workspace.sqlite'}"
    app.config["PUBLIC_URL_FROM_PORT"] = not app.config["PUBLIC_URL"]
    if app.config["PUBLIC_URL_FROM_PORT"]:  # development: where `flask serve` listens
        app.config["PUBLIC_URL"] = f"http://127.0.0.1:{app.config['PORT']}"
    app.config["PUBLIC_URL"] = str(app.config["PUBLIC_URL"]).rstrip("/")


def _refuse_weak_production_config(app: Flask, default_secret: str) -> None:
    secret = app.config.get("SECRET_KEY") or ""
    if secret == default_secret or len(secret) < 32:
        raise RuntimeError(
            "Production needs WORKSPACE_SECRET_KEY: a random value of at least 32 characters."
        )
    if not app.config["PUBLIC_URL"].startswith("https://"):
        raise RuntimeError("Production needs WORKSPACE_PUBLIC_URL, an https:// address.")
