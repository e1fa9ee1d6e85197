"""A feature for the killed-worker test (tests/faults/test_worker.py), loaded by the
`flask worker` processes the test starts, through WORKSPACE_EXTRA_FEATURES.

Its job writes a row, says so (a `started-<attempt>` file), then waits as long as a `hold`
file exists, its transaction open: the test kills the worker there.
"""
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from workspace.core.jobs import Claim, register_job
from workspace.extensions import db

KIND = "faults.write-then-wait"

# Not in the application's metadata: the test creates and drops it.
effects = Table("fault_effects", MetaData(), Column("id", Integer, primary_key=True),
                Column("job_key", String(80)), Column("attempt", Integer))


def write_then_wait(payload: dict, claim: Claim) -> None:
    db.session.execute(insert(effects).values(job_key=payload["key"], attempt=claim.attempt))
    folder = Path(payload["folder"])
    (folder / f"started-{claim.attempt}").touch()
    deadline = time.monotonic() + 120  # a test gone wrong leaves no process behind for long
    while (folder / "hold").exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def init_app(app: Flask) -> None:
    register_job(app, KIND, write_then_wait, with_claim=True)
