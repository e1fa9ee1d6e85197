"""Outgoing e-mail: messages are queued as jobs and sent over SMTP by the worker.

In development (``MAIL_TRANSPORT = "file"``) messages are written as .eml files in
``DATA_DIR/outbox`` so that a bare machine needs no mail server.
"""
from __future__ import annotations

import hashlib
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound

from workspace.core.jobs import Claim, enqueue


def queue_mail(to: str, subject: str, text: str, html: str | None = None,
               headers: dict[str, str] | None = None) -> None:
    """Queue one message in the current transaction (sent after commit, retried on failure).

    Its Message-ID is decided now and kept in the payload: a message sent again (its send
    succeeded but the job's end was lost with the worker or the database) is the same
    message, which mail clients and servers recognise and show once."""
    enqueue("mail.send", {"to": to, "subject": subject, "text": text, "html": html,
                          "headers": headers or {}, "message_id": make_msgid(domain=_domain())})


def _domain() -> str:
    return current_app.config["MAIL_DEFAULT_SENDER"].rsplit("@", 1)[-1].strip(">")


def queue_template_mail(user, subject: str, template: str, headers: dict | None = None,
                        **context) -> None:
    """Render ``templates/mail/<template>.txt`` (and .html if present) in the user's language."""
    with force_locale(getattr(user, "locale", None) or "fr"):
        text = render_template(f"mail/{template}.txt", user=user, **context)
        html = None
        if _template_exists(f"mail/{template}.html"):
            html = render_template(f"mail/{template}.html", user=user, **context)
        subject = str(subject)
    queue_mail(user.email, subject, text, html, headers)


def _template_exists(name: str) -> bool:
    try:
        current_app.jinja_env.get_template(name)  # cached by Jinja after the first look-up
    except TemplateNotFound:
        return False
    return True


def build_message(payload: dict) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = payload["to"]
    message["Subject"] = payload["subject"]
    message["Date"] = formatdate(localtime=False)
    # jobs queued before Message-IDs were kept in the payload get one now
    message["Message-ID"] = payload.get("message_id") or make_msgid(domain=_domain())
    for name, value in (payload.get("headers") or {}).items():
        message[name] = value
    message.set_content(payload["text"], cte="quoted-printable")
    if payload.get("html"):
        message.add_alternative(payload["html"], subtype="html")
    return message


def send_mail_job(payload: dict, claim: Claim) -> None:
    """The `mail.send` job. Any refusal or failure of the server raises: the job is retried
    with back-off (30 s, 1 min, 2 min ...), then kept as failed for the administrators. The
    claim is checked just before the message leaves: a worker whose job was taken back
    (its lock went stale) sends nothing, the new owner sends it."""
    message = build_message(payload)
    config = current_app.config
    if config["MAIL_TRANSPORT"] == "file":
        outbox = Path(config["DATA_DIR"]) / "outbox"
        outbox.mkdir(parents=True, exist_ok=True)
        claim.check()
        # named after the Message-ID: a message written again replaces itself
        name = hashlib.sha256(message["Message-ID"].encode()).hexdigest()[:32]
        (outbox / f"{name}.eml").write_bytes(bytes(message))
        current_app.logger.info("e-mail to %s written to %s", payload["to"], outbox)
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], int(config["MAIL_PORT"]),
                    timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        claim.check()  # connecting may have taken long: is the job still ours?
        smtp.send_message(message)
