"""Outgoing e-mail: messages are queued as jobs and sent over SMTP by the worker.

In development (``MAIL_TRANSPORT = "file"``) messages are written as .eml files in
``DATA_DIR/outbox`` so that a bare machine needs no mail server.
"""
from __future__ import annotations

import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound

from workspace.core.jobs import enqueue


def queue_mail(to: str, subject: str, text: str, html: str | None = None,
               headers: dict[str, str] | None = None) -> None:
    """Queue one message in the current transaction (sent after commit, retried on failure)."""
    enqueue("mail.send", {"to": to, "subject": subject, "text": text, "html": html,
                          "headers": headers or {}})


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
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rsplit("@", 1)[-1].strip(">")
    message["Message-ID"] = make_msgid(domain=domain)
    for name, value in (payload.get("headers") or {}).items():
        message[name] = value
    message.set_content(payload["text"], cte="quoted-printable")
    if payload.get("html"):
        message.add_alternative(payload["html"], subtype="html")
    return message


def send_mail_job(payload: dict) -> None:
    message = build_message(payload)
    config = current_app.config
    if config["MAIL_TRANSPORT"] == "file":
        outbox = Path(config["DATA_DIR"]) / "outbox"
        outbox.mkdir(parents=True, exist_ok=True)
        (outbox / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(message))
        current_app.logger.info("e-mail to %s written to %s", payload["to"], outbox)
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], int(config["MAIL_PORT"]),
                    timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
