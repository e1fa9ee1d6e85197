"""Shared pieces: base model, errors, security headers, languages, jobs, e-mail, Markdown."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from workspace.core.inputs import BoundedIntConverter, WorkspaceRequest


def init_core(app: Flask) -> None:
    from workspace.core import (
        assets,
        cli,
        errors,
        fragments,
        frame,
        i18n,
        jobs,
        mail,
        revisions,  # noqa: F401 - the text revisions table
        security,
    )
    from workspace.core.markdown import render_markdown
    from workspace.extensions import bootstrap, compress, csrf, db, limiter, migrate

    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = WorkspaceRequest
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    bootstrap.init_app(app)
    assets.init_assets(app)  # after Bootstrap-Flask: its files are fingerprinted too
    compress.init_app(app)
    limiter.init_app(app)
    i18n.init_i18n(app)
    fragments.init_fragments(app)
    frame.init_frame(app)
    security.init_security(app)
    errors.register_error_handlers(app)
    cli.register_cli(app)
    jobs.init_jobs(app)
    jobs.register_job(app, "mail.send", mail.send_mail_job, with_claim=True)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.autoescape = _autoescape


_ESCAPED_TEMPLATES = (".html", ".htm", ".xml", ".xhtml", ".svg", ".atom")


def _autoescape(name: str | None) -> bool:
    """Flask's choice, plus Atom feeds: a title with `&` or `<` must stay text and valid
    XML. Plain-text e-mail templates (.txt) are not escaped."""
    return name is None or name.endswith(_ESCAPED_TEMPLATES)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, let readers and one writer work at once (WAL)."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
