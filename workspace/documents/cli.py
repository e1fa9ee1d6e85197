"""`flask documents check` and `flask documents sweep`."""
from __future__ import annotations

import click
from flask import Flask


def register_cli(app: Flask) -> None:
    @app.cli.group("documents")
    def documents_group():
        """Shared documents: store checks and housekeeping."""

    @documents_group.command("check")
    @click.option("--no-hash", is_flag=True, help="Skip re-hashing every file (faster).")
    def check_command(no_hash):
        """Report missing files, orphan files and files whose content no longer matches."""
        from workspace.documents.jobs import known_blobs
        from workspace.documents.storage import check_store

        report = check_store(known_blobs(), verify_hashes=not no_hash)
        for sha in report.missing:
            click.echo(f"MISSING   {sha}")
        for sha in report.mismatched:
            click.echo(f"MISMATCH  {sha}")
        for path in report.orphans:
            click.echo(f"ORPHAN    {path}")
        click.echo(f"{len(report.missing)} missing, {len(report.mismatched)} mismatched, "
                   f"{len(report.orphans)} orphans.")
        if not report.healthy:
            raise SystemExit(1)

    @documents_group.command("sweep")
    @click.option("--grace", default=None, type=int, help="Seconds an orphan is kept.")
    def sweep_command(grace):
        """Delete orphan files and abandoned uploads older than the grace period."""
        from workspace.documents import storage
        from workspace.documents.jobs import known_blobs

        seconds = grace if grace is not None else app.config["DOCUMENTS_ORPHAN_GRACE_SECONDS"]
        click.echo(f"{storage.sweep(known_blobs(), seconds)} files removed.")
