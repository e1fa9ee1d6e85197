"""A worker process is killed (SIGKILL) in the middle of a job: what the job wrote goes
with its transaction, and after the lock timeout another worker runs the job again, once;
the row is written once. (A worker that loses its claim and must not mark the job done:
tests/core/test_jobs.py.)"""
import pytest
from sqlalchemy import func, select

from tests.faults import slow_feature
from tests.faults.conftest import wait_until
from workspace.core.jobs import DONE, RUNNING, Job, enqueue
from workspace.extensions import db


@pytest.fixture
def effects_table(app):
    slow_feature.effects.create(db.engine, checkfirst=True)
    yield slow_feature.effects
    db.session.remove()
    slow_feature.effects.drop(db.engine)


def the_job() -> Job:
    db.session.rollback()  # a fresh look at what the workers committed
    return db.session.scalar(select(Job).where(Job.kind == slow_feature.KIND))


def test_a_job_whose_worker_was_killed_runs_again_once(app, app_config, effects_table,
                                                       start_worker, tmp_path):
    slow_feature.init_app(app)  # this application enqueues the kind the workers run
    hold = tmp_path / "hold"
    hold.touch()
    enqueue(slow_feature.KIND, {"key": "k1", "folder": str(tmp_path)})
    db.session.commit()
    settings = {"DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"],
                "DATA_DIR": str(tmp_path / "worker-data"),
                "EXTRA_FEATURES": "tests.faults.slow_feature",
                "JOBS_LOCK_TIMEOUT_SECONDS": "1"}  # a job running for 1 s is taken back

    first = start_worker(settings)
    wait_until(lambda: (tmp_path / "started-1").exists(), message="the first worker's job")
    first.kill()  # the row is written, its transaction open: the machine dies
    killed = the_job()
    assert killed.status == RUNNING and killed.attempts == 1
    assert db.session.scalar(select(func.count()).select_from(effects_table)) == 0

    hold.unlink()
    second = start_worker(settings)
    wait_until(lambda: the_job().status == DONE, message="the job to be done again")
    output = second.stop()
    done = the_job()
    assert done.attempts == 2 and done.locked_by is None, output
    rows = db.session.execute(select(effects_table.c.job_key, effects_table.c.attempt)).all()
    assert rows == [("k1", 2)]
    assert not (tmp_path / "started-3").exists()
