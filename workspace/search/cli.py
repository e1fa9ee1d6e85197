"""`flask search rebuild` and `flask search check`."""
from __future__ import annotations

import os

import click
from flask import Flask


def register_cli(app: Flask) -> None:
    @app.cli.group("search")
    def search_group():
        """Full-text search index."""

    @search_group.command("rebuild")
    @click.option("--processes", "-p", type=click.IntRange(1, 16),
                  default=lambda: min(os.cpu_count() or 1, 4), show_default="CPUs, 4 at most",
                  help="Processes that analyse the text and write the index.")
    @click.option("--wait", type=click.FloatRange(0, 3600), default=60.0, show_default=True,
                  help="Seconds to wait for the index's lock (held by workers applying "
                       "changes).")
    def rebuild_command(processes: int, wait: float):
        """Fill a new index from the database; the site keeps answering from the current
        one until the new one replaces it at once."""
        from workspace.search.indexer import IndexBusy, count_objects, rebuild

        with click.progressbar(length=count_objects(), label="Indexation",
                               show_pos=True, show_eta=True) as bar:
            seen: dict[str, int] = {}

            def progress(kind: str, done: int, total: int) -> None:
                bar.update(done - seen.get(kind, 0))
                seen[kind] = done

            try:
                total = rebuild(progress, processes=processes, release=True, wait=wait)
            except IndexBusy:
                raise click.ClickException(
                    "The index is being written by another process (a rebuild or a worker "
                    "holding the lock): try again in a moment.") from None
        click.echo(f"{total} entries indexed with {processes} process(es).")

    @search_group.command("check")
    def check_command():
        """Report objects missing from the index and entries that should not be there."""
        from workspace.search.indexer import check

        missing, stale = check(release=True)
        for key in missing:
            click.echo(f"MISSING  {key}")
        for key in stale:
            click.echo(f"STALE    {key}")
        click.echo(f"{len(missing)} missing, {len(stale)} stale.")
        if missing or stale:
            raise SystemExit(1)
