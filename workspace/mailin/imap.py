"""The reply mailbox over IMAP (IMAPClient, TLS only): take each message of INBOX, record
what becomes of it (service.receive) and commit, then move it to "traités" or "refusés".

Order matters: the row and the post are committed before the MOVE. If the server goes away
in between, the message stays in INBOX with its Message-ID recorded; the next poll only
moves it. Messages are never deleted, and never marked read by fetching (BODY.PEEK)."""
from __future__ import annotations

import contextlib
import functools
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from workspace.core.transactions import commit_with_retry
from workspace.extensions import db
from workspace.mailin import service
from workspace.mailin.models import InboundMail


def is_enabled(app=None) -> bool:
    config = (app or current_app).config
    return bool(config.get("MAILIN_IMAP_HOST")) and "@" in (config.get("MAILIN_ADDRESS") or "")


def connect() -> IMAPClient:
    """A signed-in connection, TLS verified against the system's or the configured CA."""
    config = current_app.config
    context = ssl.create_default_context(cafile=config["MAILIN_IMAP_CA_FILE"] or None)
    host, port = config["MAILIN_IMAP_HOST"], int(config["MAILIN_IMAP_PORT"])
    timeout = float(config["MAILIN_IMAP_TIMEOUT"])
    if config["MAILIN_IMAP_SECURITY"] == "starttls":
        client = IMAPClient(host, port=port, ssl=False, timeout=timeout)
        client.starttls(context)
    else:
        client = IMAPClient(host, port=port, ssl=True, ssl_context=context, timeout=timeout)
    client.login(config["MAILIN_IMAP_USERNAME"], config["MAILIN_IMAP_PASSWORD"])
    return client


@dataclass
class PollReport:
    posted: int = 0
    refused: int = 0
    ignored: int = 0
    already: int = 0  # recorded by an earlier poll, only moved now
    reasons: list[str] = field(default_factory=list)


def _folders(client: IMAPClient) -> dict[str, str]:
    config = current_app.config
    folders = {"done": config["MAILIN_DONE_FOLDER"], "refused": config["MAILIN_REFUSED_FOLDER"]}
    for name in folders.values():
        if not client.folder_exists(name):
            client.create_folder(name)
    return folders


def _receive_one(client: IMAPClient, uid: int) -> tuple[InboundMail, bool] | None:
    """Record one message and commit; (its row, whether it was recorded before)."""
    data = client.fetch([uid], ["RFC822.SIZE", "BODY.PEEK[HEADER]"]).get(uid)
    if not data:
        return None  # gone meanwhile (another poller moved it)
    header, size = data.get(b"BODY[HEADER]") or b"", int(data.get(b"RFC822.SIZE") or 0)

    @functools.cache  # fetched once, even when the recording is tried again
    def fetch() -> bytes:
        return client.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]

    return record(header, size, fetch)


def record(header: bytes, size: int, fetch: Callable[[], bytes]
           ) -> tuple[InboundMail, bool]:
    """Record what becomes of one message and commit (the poll's work between the IMAP
    commands); (its row, whether it was recorded before). The post is written in a
    savepoint, which on SQLite opens the transaction with reads: a request that wrote in
    the meantime makes SQLite refuse the write at once instead of waiting ("database is
    locked"), so the recording is tried again (`commit_with_retry`)."""
    key_before = service.recorded(_key(header))
    if key_before is not None:
        return key_before, True

    def decide() -> InboundMail:
        try:
            return service.receive(header, size, fetch)
        except (IMAPClientError, OSError, SQLAlchemyError):
            raise  # the mailbox or the database is away: the message waits in INBOX
        except Exception as error:  # one bad message must not hold up the others
            db.session.rollback()
            current_app.logger.exception("mailin: message %s could not be handled",
                                         _key(header))
            return service.failed(header, size,
                                  f"erreur de traitement ({type(error).__name__})")

    try:
        row = commit_with_retry(decide)
    except IntegrityError:  # another poller recorded the same Message-ID first
        db.session.rollback()
        return service.recorded(_key(header)), True
    return row, False


def _key(header: bytes) -> str:
    from workspace.mailin.parsing import message_key, read_headers

    return message_key(read_headers(header), header)


def poll(after_commit: Callable[[InboundMail], None] | None = None) -> PollReport:
    """Take up to MAILIN_BATCH messages of INBOX. `after_commit` runs between a message's
    commit and its move (tests use it to take the server away at that moment)."""
    report = PollReport()
    client = connect()
    try:
        folders = _folders(client)
        client.select_folder("INBOX")
        for uid in sorted(client.search("ALL"))[:int(current_app.config["MAILIN_BATCH"])]:
            received = _receive_one(client, uid)
            if received is None:
                continue
            row, before = received
            if after_commit is not None:
                after_commit(row)
            client.move([uid], folders[row.folder_key])
            if before:
                report.already += 1
            else:
                setattr(report, row.status, getattr(report, row.status) + 1)
                if row.reason:
                    report.reasons.append(f"{row.message_id}: {row.reason}")
    finally:
        with contextlib.suppress(Exception):  # the connection may already be gone
            client.logout()
    return report


def poll_job(payload: dict) -> None:
    """The `mailin.poll` job: a server that cannot be reached fails the job (retried, and
    shown in Administration → Tâches de fond); nothing was taken from the mailbox."""
    if not is_enabled():
        return
    report = poll()
    current_app.logger.info("mailin: %d posted, %d refused, %d ignored, %d moved again",
                            report.posted, report.refused, report.ignored, report.already)
