"""From the bytes of a received e-mail to what a post needs: who sent it, to which address,
whether a machine sent it, its new text as Markdown (quotes and signature removed) and its
attached files. Plain functions on bytes: no database, no IMAP."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr

from bs4 import BeautifulSoup
from mailparser_reply import EmailReplyParser
from markdownify import markdownify

# the separator lines of forwarded or quoted messages that the reply parser does not know
# (Zimbra's "----- Mail original -----", Outlook's "-----Original Message-----")
SEPARATOR = re.compile(r"^\s*-{2,}\s*(mail original|message d'origine|original message|"
                       r"message transféré|forwarded message)\s*-{2,}\s*$",
                       re.IGNORECASE | re.MULTILINE)
# a block of quoted headers without the space French typography puts before the colon
HEADER_BLOCK = re.compile(r"^(?:(?:de|à|a|envoyé|objet|date|cc|from|to|sent|subject)\s?:.*\n)"
                          r"{2,}", re.IGNORECASE | re.MULTILINE)
# elements that hold the quoted message in the HTML of common clients
QUOTE_SELECTORS = ("blockquote", "hr#zwchr", "[data-marker='__HEADERS__']",
                   "[data-marker='__QUOTED_TEXT__']", "div.gmail_quote", "div#divRplyFwdMsg",
                   "div.moz-cite-prefix")
BOUNDARY_DEFECTS = ("NoBoundaryInMultipartDefect", "StartBoundaryNotFoundDefect",
                    "MultipartInvariantViolationDefect")


class MalformedMail(Exception):
    """The message cannot be read; its argument is the reason in French."""


@dataclass
class Attachment:
    filename: str
    data: bytes


@dataclass
class ParsedMail:
    message_id: str
    sender: str  # the From address, lower case
    subject: str
    recipients: list[str]  # To, Cc, Delivered-To, X-Original-To header values
    automatic: str | None  # why this looks sent by a machine, None for a person
    text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    attachment_count: int = 0


def read_headers(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)


def message_key(headers: EmailMessage, raw_header: bytes) -> str:
    """The Message-ID, or a digest of the header for a message without one."""
    try:
        value = str(headers.get("Message-ID") or "").strip()
    except Exception:  # noqa: BLE001 - a header the parser cannot read is as good as none
        value = ""
    if value and len(value) <= 255:
        return value
    return "sha256:" + hashlib.sha256(raw_header).hexdigest()


def _header(message: EmailMessage, name: str) -> str:
    try:
        return " ".join(str(message.get(name) or "").split())
    except Exception:  # noqa: BLE001 - malformed encoded words: treat as absent
        return ""


def automatic_reason(message: EmailMessage) -> str | None:
    """Why the message was sent by a machine (auto-reply, bounce, list), else None."""
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        return "réponse automatique (Auto-Submitted)"
    if _header(message, "Precedence").lower() in ("bulk", "junk", "list", "auto_reply"):
        return "envoi de masse ou liste (Precedence)"
    if message.get("Return-Path") is not None and \
            _header(message, "Return-Path").strip("<> ") == "":
        return "avis de non-remise (Return-Path vide)"
    if message.get_content_type() == "multipart/report":
        return "avis de non-remise (multipart/report)"
    if message.get("List-Id") is not None or message.get("X-Autoreply") is not None or \
            message.get("X-Autorespond") is not None:
        return "liste de diffusion ou réponse automatique"
    sender = parseaddr(_header(message, "From"))[1].lower()
    if sender.split("@")[0] in ("mailer-daemon", "postmaster"):
        return "avis de non-remise (MAILER-DAEMON)"
    return None


def summary(message: EmailMessage, key: str) -> ParsedMail:
    """What the header alone says (enough for a message too large to fetch)."""
    return ParsedMail(
        message_id=key, sender=parseaddr(_header(message, "From"))[1].lower()[:320],
        subject=_header(message, "Subject")[:200],
        recipients=[_header(message, name) for name in ("To", "Cc", "Delivered-To",
                                                        "X-Original-To")],
        automatic=automatic_reason(message))


def _decoded(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError):  # unknown charset, bad bytes
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def html_to_markdown(html: str) -> str:
    """The new part of an HTML message as Markdown (the quoted message removed)."""
    soup = BeautifulSoup(html, "html.parser")
    for marker in soup.select("hr#zwchr"):  # Zimbra: everything after the rule is quoted
        for following in list(marker.find_all_next()):
            following.decompose()
    for element in soup.select(", ".join(QUOTE_SELECTORS)):
        if not element.decomposed:
            element.decompose()
    for element in soup.select("script, style, head, title"):
        element.decompose()
    for link in soup.find_all("a"):  # a link the post could not keep becomes its text
        href = str(link.get("href") or "").strip().lower()
        if not href.startswith(("http://", "https://", "mailto:")):
            link.unwrap()
    return markdownify(str(soup), heading_style="ATX", strip=["img"], bullets="*")


def strip_reply(text: str) -> str:
    """The text the sender wrote: quoted message, quoted headers and signature removed."""
    text = text.replace("\r\n", "\n")
    for pattern in (SEPARATOR, HEADER_BLOCK):
        match = pattern.search(text)
        if match:
            text = text[:match.start()]
    replies = EmailReplyParser(languages=["fr", "en"]).read(text=text).replies
    body = replies[0].body if replies else text
    lines = body.rstrip().split("\n")
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()  # a quote left at the end (a reply written above it)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _attachments(message: EmailMessage, body_part) -> list[EmailMessage]:
    found = []
    for part in message.walk():
        if part.is_multipart() or part is body_part:
            continue
        if part.get_content_type() in ("text/plain", "text/html") and not part.get_filename():
            continue  # the other alternative of the body
        if part.get_content_type() == "message/delivery-status":
            continue
        found.append(part)
    return found


def parse(raw: bytes, *, max_attachments: int) -> ParsedMail:
    """Read a whole message. Raises MalformedMail when it cannot be read; keeps the
    attachments only while there are no more than `max_attachments` (their count says)."""
    try:
        message = read_headers(raw)
        header = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n")[0]
        parsed = summary(message, message_key(message, header))
        defects = {type(defect).__name__ for part in message.walk() for defect in part.defects}
        if defects & set(BOUNDARY_DEFECTS):
            raise MalformedMail("structure MIME illisible (" + ", ".join(sorted(defects)) + ")")
        if not parsed.sender:
            raise MalformedMail("aucun expéditeur (From) lisible")
        body_part = message.get_body(preferencelist=("html", "plain"))
        if body_part is not None:
            content = _decoded(body_part)
            if body_part.get_content_type() == "text/html":
                content = html_to_markdown(content)
            parsed.text = strip_reply(content)
        parts = _attachments(message, body_part)
        parsed.attachment_count = len(parts)
        if len(parts) <= max_attachments:
            for number, part in enumerate(parts, start=1):
                data = part.get_payload(decode=True) or b""
                name = part.get_filename() or f"piece-jointe-{number}"
                parsed.attachments.append(Attachment(str(name), data))
    except MalformedMail:
        raise
    except Exception as error:  # any failure of the parser: a bad message
        raise MalformedMail(f"message illisible ({type(error).__name__})") from error
    return parsed
