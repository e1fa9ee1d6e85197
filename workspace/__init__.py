"""The Tilt workspace for the technician networks of Le Mans Métropole."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class=None, extra_features=(), **overrides) -> Flask:
    """Build the application: config, extensions, then each feature's `init_app`, which
    registers its blueprints, commands and what it gives the shared mechanisms (jobs,
    search, notifications, panels, sign-in columns). `extra_features`: more modules with an
    `init_app(app)`, after the built-in ones (a plug-in, or a feature a test adds), and then
    the modules named by the EXTRA_FEATURES setting (`WORKSPACE_EXTRA_FEATURES`: dotted
    names, comma-separated), for processes started from the command line."""
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

    from workspace import (
        activity,
        admin,
        auth,
        backup,
        calendar,
        communes,
        demo,
        directory,
        documents,
        exports,
        forums,
        home,
        inventory,
        mailin,
        meetings,
        needs,
        networks,
        notifications,
        plan,
        polls,
        privacy,
        search,
        sso,
        tutorials,
        workshops,
    )

    for feature in (auth, communes, networks, sso, directory, documents, forums, meetings,
                    workshops, polls, needs, calendar, exports, plan, inventory, tutorials,
                    notifications, mailin, activity, privacy, backup, search, home, admin, demo,
                    *extra_features, *_configured_features(app)):
        feature.init_app(app)
    return app


def _configured_features(app: Flask) -> list:
    """The modules named by EXTRA_FEATURES (a list, or a comma-separated string)."""
    from importlib import import_module

    names = app.config.get("EXTRA_FEATURES") or []
    if isinstance(names, str):
        names = names.split(",")
    return [import_module(name.strip()) for name in names if name.strip()]


def _finish_config(app: Flask) -> None:
    """Derive the settings that depend on others (data folder, database URI)."""
    data_dir = Path(app.config["DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    app.config["DATA_DIR"] = str(data_dir)
    app.config["FILES_DIR"] = str(Path(app.config["FILES_DIR"] or data_dir / "files"))
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{data_dir / 'workspace.sqlite'}"
    app.config["PUBLIC_URL_FROM_PORT"] = not app.config["PUBLIC_URL"]
    if app.config["PUBLIC_URL_FROM_PORT"]:  # development: where `flask serve` listens
        app.config["PUBLIC_URL"] = f"http://127.0.0.1:{app.config['PORT']}"
    app.config["PUBLIC_URL"] = str(app.config["PUBLIC_URL"]).rstrip("/")
    # sign-in throttling recognises an unreachable storage by limits' StorageError
    app.config["RATELIMIT_STORAGE_OPTIONS"] = {**app.config["RATELIMIT_STORAGE_OPTIONS"],
                                               "wrap_exceptions": True}


def _refuse_weak_production_config(app: Flask, default_secret: str) -> None:
    secret = app.config.get("SECRET_KEY") or ""
    if secret == default_secret or len(secret) < 32:
        raise RuntimeError(
            "Production needs WORKSPACE_SECRET_KEY: a random value of at least 32 characters."
        )
    if not app.config["PUBLIC_URL"].startswith("https://"):
        raise RuntimeError("Production needs WORKSPACE_PUBLIC_URL, an https:// address.")
