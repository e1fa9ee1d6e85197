"""gunicorn reads this file from the working directory: the application's start-up checks
run once in the master before any worker starts (a queued job kind without handler, an
indexed kind nobody registers), so that a broken deployment stops at once, saying why."""
import os
import sys


def on_starting(server):
    from workspace import create_app
    from workspace.core.registry import StartupError, run_startup_checks

    try:
        run_startup_checks(create_app())
    except StartupError as error:
        print(f"Error: {error}", file=sys.stderr, flush=True)
        # gunicorn's control-socket thread would keep a plain exit waiting
        os._exit(1)
