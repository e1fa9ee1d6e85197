"""gunicorn refuses to start, saying why, when a queued job kind has no handler (the
start-up checks of gunicorn.conf.py run in its master before any worker starts)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import delete

from tests.conftest import ROOT_DIR, _free_port
from workspace.core.jobs import PENDING, Job
from workspace.extensions import db


def test_gunicorn_refuses_to_start_while_a_queued_kind_has_no_handler(app, tmp_path):
    db.session.add(Job(kind="gone.feature", payload={}, status=PENDING, attempts=0,
                       max_attempts=6))
    db.session.commit()
    env = {**os.environ, "WORKSPACE_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "WORKSPACE_DATA_DIR": str(tmp_path / "data")}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    try:
        result = subprocess.run(
            [str(gunicorn), "-w", "1", "-b", f"127.0.0.1:{_free_port()}", "wsgi:app"],
            cwd=ROOT_DIR, env=env, capture_output=True, text=True, timeout=120)
    finally:
        db.session.execute(delete(Job))
        db.session.commit()
    assert result.returncode == 1
    assert "gone.feature" in result.stderr and "no handler" in result.stderr
