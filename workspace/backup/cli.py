"""`flask backup create`, `flask backup restore` and `flask backup export-network`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask


def _echo(message: str) -> None:
    click.echo(message, err=True)


def register_cli(app: Flask) -> None:
    @app.cli.group("backup")
    def backup_group():
        """Backups of the database and files; full export of a network."""

    @backup_group.command("create")
    @click.argument("path", required=False, type=click.Path(path_type=Path))
    def create_command(path: Path | None):
        """Write a backup archive (database and files) while the site runs.

        PATH is a .tar file to create, or a folder (default: the current folder), where
        tilt-backup-<UTC time>.tar is written."""
        from workspace.backup.archive import BackupError
        from workspace.backup.create import create_backup

        try:
            manifest = create_backup(path or Path.cwd(), progress=_echo)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        rows = sum(table["rows"] for table in manifest["tables"])
        click.echo(f"{manifest['path']}: {rows} rows, {len(manifest['files'])} files "
                   f"({manifest['file_bytes']} bytes), revision "
                   f"{manifest['alembic_revision']}, {manifest['seconds']} s.")

    @backup_group.command("restore")
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option("--force", is_flag=True,
                  help="Replace the contents of a database that is not empty.")
    def restore_command(path: Path, force: bool):
        """Restore a backup archive into this site's database and file store."""
        from workspace.backup.archive import BackupError
        from workspace.backup.restore import restore_backup

        try:
            summary = restore_backup(path, force=force, progress=_echo)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Restored {summary['rows']} rows and {summary['files']} files; "
                   f"{summary['search_entries']} search entries; {summary['seconds']} s.")

    @backup_group.command("export-network")
    @click.argument("slug")
    @click.argument("path", type=click.Path(path_type=Path))
    def export_network_command(slug: str, path: Path):
        """Write a browsable ZIP (HTML, JSON, files) of everything network SLUG holds."""
        from sqlalchemy import select

        from workspace.backup.network_export import write_network_export
        from workspace.extensions import db
        from workspace.networks.models import Network

        network = db.session.scalar(select(Network).where(Network.slug == slug))
        if network is None:
            raise click.ClickException(f"No network with the slug {slug!r}.")
        if path.is_dir():
            path = path / f"{network.slug}-export.zip"
        if path.exists():
            raise click.ClickException(f"{path} already exists; choose another name.")
        if not path.parent.is_dir():
            raise click.ClickException(f"Folder {path.parent} does not exist.")
        partial = path.with_name(path.name + ".partial")
        try:
            with open(partial, "wb") as out:
                counts = write_network_export(network, out)
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        click.echo(f"{path}: " + ", ".join(f"{count} {name}" for name, count in counts.items()))
