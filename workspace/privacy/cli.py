"""`flask privacy ...`: purge the audit log now, store the default legal pages."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from workspace.extensions import db

cli = AppGroup("privacy", help="Données personnelles, journal de sécurité, pages légales.")


@cli.command("purge-audit")
def purge_audit() -> None:
    """Delete the audit events older than AUDIT_RETENTION_DAYS."""
    from workspace.privacy.audit import purge_old_events

    count = purge_old_events()
    db.session.commit()
    click.echo(f"{count} événement(s) supprimé(s).")


@cli.command("legal-defaults")
def legal_defaults() -> None:
    """Store the default text of every legal page never saved."""
    from workspace.privacy.legal import ensure_default_pages

    created = ensure_default_pages()
    db.session.commit()
    click.echo("Pages légales créées." if created else "Rien à faire.")
