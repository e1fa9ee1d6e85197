"""`flask search rebuild` and `flask search check`."""
from __future__ import annotations

import click
from flask import Flask


def register_cli(app: Flask) -> None:
    @app.cli.group("search")
    def search_group():
        """Full-text search index."""

    @search_group.command("rebuild")
    def rebuild_command():
        """Drop the index and fill it again from the database."""
        from workspace.search.indexer import rebuild

        def progress(kind: str, done: int, total: int) -> None:
            click.echo(f"{kind}: {done}/{total}")

        total = rebuild(progress)
        click.echo(f"{total} entries indexed.")

    @search_group.command("check")
    def check_command():
        """Report objects missing from the index and entries that should not be there."""
        from workspace.search.indexer import check

        missing, stale = check()
        for key in missing:
            click.echo(f"MISSING  {key}")
        for key in stale:
            click.echo(f"STALE    {key}")
        click.echo(f"{len(missing)} missing, {len(stale)} stale.")
        if missing or stale:
            raise SystemExit(1)
