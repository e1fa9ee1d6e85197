"""`flask seed` (the demo data) and `flask serve` (the development server of `make run`, with a
job worker thread in the same process)."""
from __future__ import annotations

import click
from flask import Flask, current_app


def register_cli(app: Flask) -> None:
    @app.cli.command("serve")
    @click.option("--host", default="127.0.0.1")
    @click.option("--port", default=None, type=int, help="PORT setting by default (5000).")
    def serve_command(host, port):
        """Serve the app for development with a job worker thread in the same process."""
        from werkzeug.serving import run_simple

        from workspace.core.jobs import start_worker_thread
        from workspace.core.registry import StartupError, run_startup_checks
        from workspace.demo import DEMO_ACCOUNTS

        application = current_app._get_current_object()
        port = port or application.config["PORT"]
        if application.config["PUBLIC_URL_FROM_PORT"]:  # links in e-mails: this server
            shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
            application.config["PUBLIC_URL"] = f"http://{shown}:{port}"
        try:
            run_startup_checks(application)
        except StartupError as error:
            raise click.ClickException(str(error)) from error
        start_worker_thread(application)
        click.echo(f"\n  Tilt est servi sur http://{host}:{port}/\n")
        click.echo("  Comptes de démonstration (mot de passe commun : "
                   f"{DEMO_ACCOUNTS[0]['password']})")
        for account in DEMO_ACCOUNTS:
            click.echo(f"    {account['role']:<28} {account['email']}")
        click.echo("  E-mails écrits dans " + application.config["DATA_DIR"] + "/outbox\n")
        run_simple(host, port, application, use_reloader=False, threaded=True)

    @app.cli.command("seed")
    def seed_command():
        """Load the demo data (communes, networks, users); running it again changes nothing."""
        from workspace.core.jobs import run_pending_jobs
        from workspace.demo import load_demo_data
        from workspace.extensions import db

        created = load_demo_data()
        db.session.commit()
        # the demo's documents show their text at once (else the worker extracts them)
        extracted = run_pending_jobs(kinds=["documents.extract"])
        click.echo("Demo data loaded." if created else "Demo data already present: unchanged.")
        if extracted:
            click.echo(f"Text extracted from {extracted} demo documents.")
