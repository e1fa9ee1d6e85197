"""The private Atom feed of a network's activity: tokens, and the XML document.

A token opens one network's feed for one user; only its SHA-256 is stored. Whether the feed
answers is decided at each poll: a revoked token, a disabled account or a user who may no
longer see the network get nothing (404), like the calendar feed.

The XML is built with ElementTree, never by string templates, so that every title, name
and content is escaped, whatever a member typed.
"""
from __future__ import annotations

import re
import secrets
from datetime import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from flask_babel import gettext as _
from sqlalchemy import select

from workspace.activity import labels
from workspace.activity.access import can_read_activity_feed
from workspace.activity.models import ActivityFeedToken
from workspace.activity.stream import Event, read_stream
from workspace.auth.models import User, hash_token
from workspace.core.models import utcnow
from workspace.core.urls import public_url
from workspace.extensions import db
from workspace.networks.models import Network

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
TOKEN_BYTES = 32  # 256 bits: not guessable, so the address needs no rate limit
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,128}")


# --- tokens ----------------------------------------------------------------------------

def active_token(user: User, network: Network) -> ActivityFeedToken | None:
    return db.session.scalar(select(ActivityFeedToken).where(
        ActivityFeedToken.user_id == user.id, ActivityFeedToken.network_id == network.id,
        ActivityFeedToken.revoked_at.is_(None))
        .order_by(ActivityFeedToken.created_at.desc()).limit(1))


def revoke_tokens(user: User, network: Network) -> int:
    """Stop every feed address of the user for this network; returns how many were live."""
    tokens = db.session.scalars(select(ActivityFeedToken).where(
        ActivityFeedToken.user_id == user.id, ActivityFeedToken.network_id == network.id,
        ActivityFeedToken.revoked_at.is_(None))).all()
    now = utcnow()
    for token in tokens:
        token.revoked_at = now
    db.session.flush()
    return len(tokens)


def issue_token(user: User, network: Network) -> str:
    """A new secret address for the user's feed of this network (returned once, in clear);
    the previous one stops working."""
    revoke_tokens(user, network)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(ActivityFeedToken(user_id=user.id, network_id=network.id,
                                      token_hash=hash_token(token)))
    db.session.flush()
    return token


def feed_target(token: str) -> tuple[User, Network] | None:
    """The reader and the network a live token opens, if the reader (an active account)
    may still see the network; None otherwise, whatever the reason."""
    if not token or not TOKEN_SHAPE.fullmatch(token):
        return None
    row = db.session.scalar(select(ActivityFeedToken).where(
        ActivityFeedToken.token_hash == hash_token(token),
        ActivityFeedToken.revoked_at.is_(None)))
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    network = db.session.get(Network, row.network_id)
    if user is None or network is None:
        return None
    return (user, network) if can_read_activity_feed(user, network) else None


# --- the Atom document ------------------------------------------------------------------

def _tag_authority() -> str:
    return urlsplit(public_url("home.index")).hostname or "localhost"


def _instant(value: datetime) -> str:
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _entry(feed: ET.Element, event: Event, authority: str) -> None:
    entry = _sub(feed, "entry")
    _sub(entry, "id", f"tag:{authority},2026:activity/{event.kind}/{event.row_id}"
                      f"/{event.at.strftime('%Y%m%dT%H%M%S%f')}")
    _sub(entry, "title", labels.headline(event))
    _sub(entry, "updated", _instant(event.at))
    _sub(entry, "link", rel="alternate", type="text/html",
         href=public_url(event.endpoint, **event.link_values))
    if event.actor is not None:
        _sub(_sub(entry, "author"), "name", event.actor.full_name)
    _sub(entry, "category", term=event.kind, label=labels.kind_label(event))
    if event.html:
        _sub(entry, "content", event.html, type="html")  # escaped by ElementTree
    elif event.excerpt:
        _sub(entry, "summary", event.excerpt, type="text")


def atom_document(user: User, network: Network, token: str) -> bytes:
    """The feed of the network's latest activity, for this reader (UTF-8 XML)."""
    events = read_stream([network], limit=FEED_SIZE).events
    authority = _tag_authority()
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "id", f"tag:{authority},2026:activity/network/{network.id}")
    _sub(feed, "title", _("Activité du réseau %(network)s", network=network.name))
    _sub(feed, "subtitle", _("Flux personnel de %(name)s", name=user.full_name))
    _sub(feed, "updated", _instant(events[0].at if events else network.created_at))
    _sub(feed, "link", rel="alternate", type="text/html",
         href=public_url("activity.network_activity", network_slug=network.slug))
    _sub(feed, "link", rel="self", type="application/atom+xml",
         href=public_url("activity_feed.feed", feed_token=token))
    _sub(_sub(feed, "author"), "name", "Tilt")
    _sub(feed, "generator", "Tilt")
    for event in events:
        _entry(feed, event, authority)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
