"""Per-application registries: what features register with a shared mechanism (job handlers,
findable kinds, sign-in columns, panels, notification kinds...) is kept in `app.extensions`,
filled by each feature's `init_app`, never by an import's side effect.

Two applications built in one process (tests, a second host) each have their own. Start-up
checks let a mechanism refuse to start when what is stored needs a registration that is
missing (a queued job kind without handler, an indexed kind nobody registers).
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app


class StartupError(RuntimeError):
    """What is stored needs a registration the application does not have."""


def registry(name: str, app: Flask | None = None) -> dict:
    """The application's registry called `name` (a dict, created on first use)."""
    app = app if app is not None else current_app
    return app.extensions.setdefault(f"workspace.{name}", {})


StartupCheck = Callable[[Flask], list[str]]


def register_startup_check(app: Flask, name: str, check: StartupCheck) -> None:
    """`check(app)` returns the problems it finds (sentences), an empty list when all is well."""
    registry("startup_checks", app)[name] = check


def run_startup_checks(app: Flask) -> None:
    """Run every check; raise `StartupError` naming every problem when one is found."""
    problems: list[str] = []
    with app.app_context():
        for check in registry("startup_checks", app).values():
            problems.extend(check(app))
    if problems:
        raise StartupError("Start-up refused:\n- " + "\n- ".join(problems))
