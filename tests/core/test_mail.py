"""E-mail goes through the job queue to a real SMTP server."""
from sqlalchemy import select

from workspace.core.jobs import PENDING, Job, run_pending_jobs
from workspace.core.mail import queue_mail
from workspace.extensions import db


def test_mail_reaches_the_smtp_server_with_accents(app, mailbox):
    queue_mail("claire@example.org", "Réunion du réseau : ordre du jour",
               "Bonjour,\nL'atelier « énergie dans les bâtiments » aura lieu à Yvré-l'Évêque.",
               headers={"List-Unsubscribe": "<http://tilt.test/u/x>"})
    db.session.commit()
    [message] = mailbox.to("claire@example.org")
    assert message["Subject"] == "Réunion du réseau : ordre du jour"
    assert "Yvré-l'Évêque" in message.get_body(preferencelist=("plain",)).get_content()
    assert message["List-Unsubscribe"] == "<http://tilt.test/u/x>"
    assert message["Message-ID"]


def test_unreachable_smtp_server_keeps_the_mail_for_retry(app, mailbox):
    app.config["MAIL_PORT"] = 1  # nothing listens there
    queue_mail("claire@example.org", "Sujet", "Texte")
    db.session.commit()
    run_pending_jobs()
    job = db.session.scalar(select(Job))
    assert job.status == PENDING and job.attempts == 1 and job.last_error


def test_file_transport_writes_eml(app, tmp_path):
    app.config["MAIL_TRANSPORT"] = "file"
    queue_mail("claire@example.org", "Sujet", "Texte")
    db.session.commit()
    run_pending_jobs()
    files = list((tmp_path / "data" / "outbox").glob("*.eml"))
    assert len(files) == 1
    assert b"claire@example.org" in files[0].read_bytes()
