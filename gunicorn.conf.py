"""gunicorn reads this file from the working directory: the application's start-up checks
run once in the master before any worker starts (a queued job kind without handler, an
indexed kind nobody registers), so that a broken deployment stops at once, saying why."""


def on_starting(server):
    from workspace import create_app
    from workspace.core.registry import run_startup_checks

    run_startup_checks(create_app())
