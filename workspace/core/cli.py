"""Command-line entry point of the job queue: `flask worker`."""
from __future__ import annotations

import signal
import threading

import click
from flask import Flask, current_app


def register_cli(app: Flask) -> None:
    @app.cli.command("worker")
    @click.option("--poll", type=float, default=None, help="Seconds between polls when idle.")
    def worker_command(poll):
        """Run queued jobs (e-mail, extraction, indexing) and periodic work until stopped."""
        from workspace.core.jobs import work
        from workspace.core.registry import StartupError, run_startup_checks

        application = current_app._get_current_object()
        try:
            run_startup_checks(application)
        except StartupError as error:
            raise click.ClickException(str(error)) from error
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        click.echo("Worker started; Ctrl-C to stop.")
        work(application, stop, poll)
