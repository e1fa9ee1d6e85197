"""What an open forum page asks without reloading: the state of its topic (for the "new
replies" notice), the members to suggest after `@`, and images dropped into the editor.

The polled state is tiny and cheap: the topic's last post number, read by primary key, with
the bell's count that the sign-in statement has already read for the request; its ETag is
made of both, so an unchanged state answers 304 with no body."""
from __future__ import annotations

import re
from typing import NamedTuple

from sqlalchemy import func, or_, select

from workspace.auth.models import User
from workspace.communes.models import Organisation
from workspace.documents import service as documents
from workspace.documents import sniff
from workspace.documents.models import Document
from workspace.extensions import db
from workspace.forums.models import Post, Topic
from workspace.networks.models import Membership, Network

SUGGESTIONS = 8
MAX_PREFIX = 60


class TopicState(NamedTuple):
    """What the topic page polls: its newest post number and the reader's bell."""
    last_number: int
    unread: int

    @property
    def etag(self) -> str:
        return f"t{self.last_number}-u{self.unread}"


def topic_state(topic: Topic, unread: int) -> TopicState:
    return TopicState(topic.last_number, unread)


class Suggestion(NamedTuple):
    handle: str
    name: str
    organisation: str


def _like_prefix(text: str) -> str:
    """`text%` for LIKE, the wildcards of the text taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def member_suggestions(network: Network, prefix: str,
                       limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Active members of the network whose handle, first or last name starts with `prefix`
    (case-insensitive), for the `@` completion of the editor. Only members of this network:
    the list never tells who else has an account."""
    prefix = " ".join((prefix or "").split())[:MAX_PREFIX].lower().lstrip("@")
    if not prefix:
        return []
    pattern = _like_prefix(prefix)
    query = (select(User.handle, User.first_name, User.last_name, Organisation.name)
             .join(Membership, Membership.user_id == User.id)
             .outerjoin(Organisation, Organisation.id == User.organisation_id)
             .where(Membership.network_id == network.id, User.is_active.is_(True),
                    User.handle.is_not(None),
                    or_(func.lower(User.handle).like(pattern, escape="\\"),
                        func.lower(User.first_name).like(pattern, escape="\\"),
                        func.lower(User.last_name).like(pattern, escape="\\"),
                        func.lower(User.first_name + " " + User.last_name).like(
                            pattern, escape="\\")))
             .order_by(User.last_name, User.first_name, User.id).limit(limit))
    return [Suggestion(handle, f"{first} {last}".strip(), organisation or "")
            for handle, first, last, organisation in db.session.execute(query)]


def image_markdown(document: Document, preview_url: str, detail_url: str) -> str:
    """The Markdown that shows an uploaded file in a post: the image itself for a raster
    image, a link to the document otherwise."""
    version = document.current_version
    label = re.sub(r"[\[\]\\]", "", document.title) or "document"
    if version is not None and version.mime in sniff.INLINE_IMAGES:
        return f"![{label}]({preview_url})"
    return f"[{label}]({detail_url})"


_INLINE = re.compile(r"/n/([^/\s)]+)/documents/(\d{1,10})(?:/preview)?(?=[)\s\"']|$)")


def inline_document_ids(network: Network, body: str) -> list[int]:
    """Documents of this network that the text shows or links to (images dropped into the
    editor): they are linked to the post, so the document page says where it is used."""
    ids = sorted({int(number) for slug, number in _INLINE.findall(body or "")
                  if slug == network.slug and 0 < int(number) < 2**31})
    if not ids:
        return []
    return list(db.session.scalars(select(Document.id).where(
        Document.id.in_(ids), Document.network_id == network.id,
        Document.deleted_at.is_(None))))


def link_inline_documents(user: User, network: Network, post: Post) -> None:
    from workspace.forums.attachments import LINK_TYPE

    for document_id in inline_document_ids(network, post.body):
        documents.link_document(user, db.session.get(Document, document_id), LINK_TYPE,
                                post.id)
