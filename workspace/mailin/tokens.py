"""Reply addresses: `tilt+<user id>-<topic id>-<signature>@domain`, one per recipient and
topic, signed with the application's secret.

The signature is an HMAC-SHA256 written in lower-case base32 rather than itsdangerous's
URL-safe base64: mail servers and clients may change the case of an address, and the local
part must stay a plain dot-atom. Whoever holds the address can only speak as its recipient,
and only if the From address is theirs (service.py checks both)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from email.utils import getaddresses

from flask import current_app

SALT = b"tilt.mailin.reply-address"
TOKEN = re.compile(r"^([1-9][0-9]{0,9})-([1-9][0-9]{0,9})-([a-z2-7]{26})$")


def _signature(user_id: int, topic_id: int) -> str:
    key = hashlib.sha256(SALT + current_app.config["SECRET_KEY"].encode()).digest()
    digest = hmac.new(key, f"{user_id}-{topic_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:16]).decode().rstrip("=").lower()


def make_token(user_id: int, topic_id: int) -> str:
    return f"{user_id}-{topic_id}-{_signature(user_id, topic_id)}"


def read_token(token: str) -> tuple[int, int] | None:
    """(user id, topic id) of a genuine token, else None."""
    match = TOKEN.match((token or "").strip().lower())
    if match is None:
        return None
    user_id, topic_id = int(match.group(1)), int(match.group(2))
    if not hmac.compare_digest(match.group(3), _signature(user_id, topic_id)):
        return None
    return user_id, topic_id


def split_mailbox(address: str) -> tuple[str, str]:
    """("tilt", "lemansmetropole.fr") of the configured mailbox address."""
    local, _, domain = address.strip().rpartition("@")
    return local.lower(), domain.lower()


def reply_address(user_id: int, topic_id: int) -> str | None:
    """The Reply-To of a forum e-mail to this user about this topic (None: feature off)."""
    mailbox = current_app.config.get("MAILIN_ADDRESS") or ""
    if "@" not in mailbox:
        return None
    local, domain = split_mailbox(mailbox)
    return f"{local}+{make_token(user_id, topic_id)}@{domain}"


def token_in(header_values: list[str], mailbox: str) -> str | None:
    """The token of the first recipient that is a plus-address of the mailbox."""
    local, domain = split_mailbox(mailbox)
    for _name, address in getaddresses([value for value in header_values if value]):
        address_local, _, address_domain = address.strip().lower().rpartition("@")
        if address_domain != domain or not address_local.startswith(local + "+"):
            continue
        return address_local[len(local) + 1:]
    return None
