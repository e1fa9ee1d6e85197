"""Turning one received message into a post, or into a refusal with its reason. Flushes,
never commits: the poll (imap.py) commits the row and the post together before it moves the
message, so that nothing is posted twice and nothing is lost."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from email.utils import parseaddr
from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, select

from workspace.auth.models import User
from workspace.core.errors import DomainError
from workspace.core.mail import queue_mail
from workspace.core.models import utcnow
from workspace.documents.uploads import incoming_bytes
from workspace.extensions import db
from workspace.forums import access as forum_access
from workspace.forums import attachments as forum_attachments
from workspace.forums import service as forums
from workspace.forums.models import Topic
from workspace.mailin import parsing, tokens
from workspace.mailin.models import IGNORED, POSTED, REFUSED, InboundMail
from workspace.networks.models import Network


class _File(NamedTuple):  # what forums.attachments.attach_files reads of an upload
    filename: str
    stream: object


def recorded(key: str) -> InboundMail | None:
    return db.session.scalar(select(InboundMail).where(InboundMail.message_id == key))


def receive(raw_header: bytes, size: int, fetch: Callable[[], bytes]) -> InboundMail:
    """Record what becomes of a message (a post, a refusal); `fetch` reads the whole message
    and is only called for a message not seen before and not too large."""
    headers = parsing.read_headers(raw_header)
    key = parsing.message_key(headers, raw_header)
    existing = recorded(key)
    if existing is not None:
        return existing
    limit = int(current_app.config["MAILIN_MAX_MESSAGE_MB"]) * 1024 * 1024
    if size > limit:
        parsed = parsing.summary(headers, key)
        return _refuse(parsed, size, f"message trop volumineux ({size // (1024 * 1024)} Mo ; "
                                     f"{limit // (1024 * 1024)} Mo au plus)")
    raw = fetch()
    try:
        parsed = parsing.parse(raw, max_attachments=_max_files())
    except parsing.MalformedMail as error:
        return _refuse(parsing.summary(headers, key), size, str(error), notify=False)
    return decide(parsed, size)


def failed(raw_header: bytes, size: int, reason: str) -> InboundMail:
    """Record a message whose handling failed unexpectedly: it goes to "refusés" with the
    reason, so that the administrators see it and the next messages are not held up."""
    headers = parsing.read_headers(raw_header)
    return _record(parsing.summary(headers, parsing.message_key(headers, raw_header)), size,
                   REFUSED, reason)


def _max_files() -> int:
    return int(current_app.config["UPLOAD_MAX_FILES"])


def _own_addresses() -> set[str]:
    config = current_app.config
    return {parseaddr(config["MAIL_DEFAULT_SENDER"])[1].lower(),
            (config.get("MAILIN_ADDRESS") or "").lower()}


def decide(parsed: parsing.ParsedMail, size: int) -> InboundMail:
    """Post the message as a reply of its token's member in its token's topic, or refuse it
    and say why. Impersonation is refused: the From address must be the member's own."""
    if parsed.automatic:
        return _record(parsed, size, IGNORED, parsed.automatic)
    if parsed.sender in _own_addresses():
        return _record(parsed, size, IGNORED, "message envoyé par Tilt lui-même (boucle)")
    token = tokens.token_in(parsed.recipients, current_app.config["MAILIN_ADDRESS"])
    found = tokens.read_token(token) if token else None
    if found is None:
        return _refuse(parsed, size, "adresse de réponse absente ou non reconnue")
    user, topic = db.session.get(User, found[0]), db.session.get(Topic, found[1])
    if user is None or topic is None:
        return _refuse(parsed, size, "le sujet ou le compte n'existe plus")
    if parsed.sender != (user.email or "").lower():
        return _refuse(parsed, size, "l'expéditeur n'est pas le destinataire de cette adresse "
                                     "de réponse")
    refusal = _may_not_reply(user, topic) or _over_limits(user, parsed)
    if refusal:
        return _refuse(parsed, size, refusal, user=user, topic=topic)
    return _post(parsed, size, user, topic)


def _may_not_reply(user: User, topic: Topic) -> str | None:
    if not user.is_active:
        return "ce compte est désactivé"
    if not forum_access.can_see_topic(user, topic):
        return "vous n'avez plus accès à ce sujet"
    if not forum_access.can_reply(user, topic):
        if topic.is_locked:
            return "ce sujet est verrouillé : il n'accepte plus de réponse"
        return "seuls les membres du réseau peuvent répondre"
    return None


def _over_limits(user: User, parsed: parsing.ParsedMail) -> str | None:
    per_hour = int(current_app.config["MAILIN_POSTS_PER_HOUR"])
    recent = db.session.scalar(select(func.count(InboundMail.id)).where(
        InboundMail.user_id == user.id, InboundMail.status == POSTED,
        InboundMail.received_at > utcnow() - timedelta(hours=1)))
    if recent >= per_hour:
        return f"trop de messages par e-mail ({per_hour} par heure au plus)"
    if parsed.attachment_count > _max_files():
        return (f"trop de pièces jointes ({parsed.attachment_count} ; "
                f"{_max_files()} au plus)")
    if not parsed.text and not parsed.attachments:
        return "le message est vide (le texte cité et la signature sont retirés)"
    return None


def _post(parsed: parsing.ParsedMail, size: int, user: User, topic: Topic) -> InboundMail:
    """The post and its attachments, in a savepoint: a refusal part-way leaves nothing."""
    body = parsed.text or "_(pièces jointes envoyées par e-mail)_"
    network = db.session.get(Network, topic.network_id)
    try:
        with db.session.begin_nested():
            post = forums.reply(user, topic, body, via_email=True)
            files = [_File(item.filename, incoming_bytes(item.data))
                     for item in parsed.attachments]
            refused = forum_attachments.attach_files(user, network, post, files)
    except DomainError as error:
        return _refuse(parsed, size, error.message, user=user, topic=topic)
    reason = "; ".join(f"pièce jointe « {name} » refusée : {why}" for name, why in refused)
    row = _record(parsed, size, POSTED, reason[:1000], user=user, topic=topic)
    row.post_id = post.id
    if refused:
        _notice(row, parsed, "Votre réponse a été publiée, mais certaines pièces jointes ont "
                             "été refusées :\n" + "\n".join(f"- {name} : {why}"
                                                           for name, why in refused))
    return row


def _record(parsed: parsing.ParsedMail, size: int, status: str, reason: str, *,
            user: User | None = None, topic: Topic | None = None) -> InboundMail:
    row = InboundMail(message_id=parsed.message_id, sender=parsed.sender, size=size,
                      subject=parsed.subject, status=status, reason=reason[:1000],
                      user_id=user.id if user else None, topic_id=topic.id if topic else None)
    db.session.add(row)
    db.session.flush()
    return row


def _refuse(parsed: parsing.ParsedMail, size: int, reason: str, *, notify: bool = True,
            user: User | None = None, topic: Topic | None = None) -> InboundMail:
    row = _record(parsed, size, REFUSED, reason, user=user, topic=topic)
    if notify and not parsed.automatic:
        _notice(row, parsed, f"Votre message n'a pas été publié dans le forum : {reason}.")
    return row


def _notice(row: InboundMail, parsed: parsing.ParsedMail, text: str) -> None:
    """One short explanation to the sender, a few a day at most per address, never to a
    machine (the notice itself says it is automatic: RFC 3834)."""
    if not parsed.sender or "@" not in parsed.sender or parsed.automatic:
        return
    per_day = int(current_app.config["MAILIN_NOTICES_PER_DAY"])
    sent = db.session.scalar(select(func.count(InboundMail.id)).where(
        InboundMail.sender == parsed.sender, InboundMail.notice_sent_at.is_not(None),
        InboundMail.notice_sent_at > utcnow() - timedelta(days=1)))
    if sent >= per_day:
        return
    subject = f"Re: {parsed.subject}"[:200] if parsed.subject else "Votre message à Tilt"
    queue_mail(parsed.sender, subject,
               f"Bonjour,\n\n{text}\n\nCe message est automatique ; pour écrire dans le "
               f"forum, utilisez le site : {current_app.config['PUBLIC_URL']}\n",
               headers={"Auto-Submitted": "auto-replied"})
    row.notice_sent_at = utcnow()
