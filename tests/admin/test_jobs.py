"""The background jobs page: what failed, what waits, and retrying."""
from __future__ import annotations

from datetime import timedelta

from tests.admin.helpers import text
from workspace.core.jobs import Job
from workspace.core.models import utcnow
from workspace.extensions import db


def make_job(status: str, **over) -> Job:
    values = {"kind": "mail.send", "payload": {"to": "x@example.org"}, "status": status,
              "attempts": 6, "max_attempts": 6}
    values.update(over)
    job = Job(**values)
    db.session.add(job)
    db.session.commit()
    return job


def test_failed_job_shows_and_retry_puts_it_back_in_the_queue(admin_client):
    job = make_job("failed", last_error="Traceback...\nConnectionRefusedError: [Errno 111]",
                   finished_at=utcnow())
    make_job("pending", kind="auth.purge", attempts=0, run_at=utcnow() + timedelta(hours=1))
    make_job("done")

    page = text(admin_client.get("/admin/jobs"))
    assert "mail.send" in page and "auth.purge" in page
    assert "<pre" in page and "ConnectionRefusedError: [Errno 111]" in page

    response = admin_client.post(f"/admin/jobs/{job.id}/retry", follow_redirects=True)
    assert "remise en file d'attente" in text(response)
    job = db.session.get(Job, job.id)
    assert (job.status, job.attempts, job.finished_at) == ("pending", 0, None)
    assert "Aucune tâche en échec." in text(admin_client.get("/admin/jobs"))


def test_long_errors_are_cut_to_their_end(admin_client):
    make_job("failed", last_error="DEBUT" + "x" * 5000 + "FIN")
    page = text(admin_client.get("/admin/jobs"))
    assert "FIN" in page and "DEBUT" not in page


def test_a_finished_job_is_not_run_again(admin_client):
    job = make_job("done")
    response = admin_client.post(f"/admin/jobs/{job.id}/retry", follow_redirects=True)
    assert "Seule une tâche en échec ou en attente" in text(response)
    assert db.session.get(Job, job.id).status == "done"
    assert admin_client.post("/admin/jobs/4242/retry").status_code == 404
