"""The posts of a topic page, its head and its reply form, rendered once and kept in this
process while nothing they show changes (core/fragments.py): a topic page is read far more
often than written, and rendering twenty posts is most of its cost.

A post's HTML depends on the post (body, state, number, dates), its author's name and
commune, its attachments, and three facts about the reader: whether they wrote it, moderate
the network, may reply. All of these are the values the template is given, hence its key
(with the language and the script root), so an edit, a moderation, a renamed or anonymised
author, another language or another reader's rights find another entry; nothing needs to
be invalidated. The reader's CSRF token is a placeholder in the kept HTML, replaced when
the page is served.
"""
from __future__ import annotations

from typing import NamedTuple

from flask import current_app
from markupsafe import Markup

from workspace.core.fragments import KeptTemplate
from workspace.forums.reading import TopicPage
from workspace.networks.header import NetworkView

POST = KeptTemplate("forums/_post.html", ("post", "files", "network_slug", "topic_id", "own",
                                          "can_moderate", "can_reply"), max_entries=4_000)
HEAD = KeptTemplate("forums/_topic_head.html", (
    "network_slug", "topic_id", "title", "is_pinned", "is_locked", "is_hidden", "category_id",
    "category_name", "following", "show_unread"), max_entries=4_000)
REPLY_BOX = KeptTemplate("forums/_reply_box.html",
                         ("network", "topic_id", "csrf_enabled", "form_class"),
                         max_entries=2_000)


class AttachedVersion(NamedTuple):
    mime: str | None
    filename: str
    size: int | None


class Attachment(NamedTuple):
    """What a post shows of an attached document (versions are never modified)."""
    id: int
    title: str
    version: AttachedVersion | None

    @classmethod
    def of(cls, document) -> Attachment:
        version = document.current_version
        return cls(document.id, document.title, None if version is None else AttachedVersion(
            version.mime, version.filename, version.size))


def _listed(post, documents, network_slug: str) -> tuple[Attachment, ...]:
    """The attachments listed under a post: those its text does not already show (an image
    dropped into the editor is in the text, and linked to the post only to say where it is
    used)."""
    shown = post.body_html
    return tuple(Attachment.of(d) for d in documents
                 if f"/n/{network_slug}/documents/{d.id}/preview" not in shown)


def posts_html(page: TopicPage, network_slug: str, topic_id: int, viewer_id: int,
               moderator: bool, can_reply: bool) -> Markup:
    """The HTML of the page's posts."""
    attachments = page.attachments
    return POST.render_many(
        {"post": post, "network_slug": network_slug, "topic_id": topic_id,
         "files": _listed(post, attachments[post.id], network_slug)
         if post.id in attachments else (),
         "own": viewer_id == post.author_id, "can_moderate": moderator,
         "can_reply": can_reply}
        for post in page.posts)


def reply_box(network, topic) -> Markup:
    """The reply form of a topic page: the same for every reader who may reply."""
    from workspace.forums.forms import PostForm

    return REPLY_BOX.render(network=NetworkView.of(network), topic_id=topic.id,
                            csrf_enabled=current_app.config.get("WTF_CSRF_ENABLED", True),
                            form_class=PostForm)


def topic_head(network, topic, category, following: bool, show_unread: bool) -> Markup:
    """Breadcrumb, title and buttons of a topic page."""
    return HEAD.render(network_slug=network.slug, topic_id=topic.id, title=topic.title,
                       is_pinned=topic.is_pinned, is_locked=topic.is_locked,
                       is_hidden=topic.is_hidden, category_id=category.id,
                       category_name=category.name, following=bool(following),
                       show_unread=bool(show_unread))
