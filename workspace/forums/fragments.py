"""The posts of a topic page, rendered once and kept in this process while nothing they show
changes: a topic page is read far more often than written, and rendering twenty posts is most
of its cost.

A post's HTML depends on the post (revision, state, number, dates), its author's name and
commune, its attachments, the language, and three facts about the reader: whether they wrote
it, moderate the network, may reply. All of these are in the key, so an edit, a moderation,
a renamed or anonymised author, another language or another reader's rights find another
entry; nothing needs to be invalidated. The reader's CSRF token is not in the HTML kept:
a placeholder is, replaced when the page is served.
"""
from __future__ import annotations

from typing import Callable

from flask import current_app
from flask_babel import get_locale
from markupsafe import Markup

from workspace.core.fragments import CSRF_PLACEHOLDER, FragmentCache, app_key, render_kept
from workspace.core.i18n import current_translations
from workspace.forums.reading import PagePost, TopicPage

MAX_ENTRIES = 4_000  # a few MB per worker
_cache = FragmentCache(MAX_ENTRIES)
_page_parts = FragmentCache(4_000)  # the head and the reply form of topic pages


def _labels(moderator: bool) -> dict[str, str]:
    gettext = current_translations().ugettext
    labels = {"quote": gettext("Citer"), "edit": gettext("Modifier"),
              "delete": gettext("Supprimer"), "confirm_delete": gettext("Supprimer ce message ?"),
              "report": gettext("Signaler")}
    if moderator:
        labels.update(restore=gettext("Restaurer"), hide=gettext("Masquer"),
                      unhide=gettext("Rendre visible"))
    return labels


def _key(post: PagePost, files: list, language: tuple, slug: str, own: bool,
         moderator: bool, can_reply: bool) -> tuple:
    return (language, slug, post.id, post.number, post.revision, post.is_deleted,
            post.is_hidden, post.created_at, post.edited_at, post.author_id, post.author_name,
            post.organisation_name, tuple((d.id, d.title, d.current_version_id) for d in files),
            own, moderator, can_reply)


def posts_renderer(page: TopicPage, network, viewer_id: int, moderator: bool, can_reply: bool,
                   make_links: Callable[[], tuple[dict, Markup]]) -> Callable[[str], Markup]:
    """A function of the reader's CSRF token returning the HTML of the page's posts.
    `make_links()` gives the links of a post and "le message n° %(n)d" (`post_urls`,
    `number_label` in forums/_post.html); only called when a post must be rendered."""
    language = (str(get_locale()), app_key())
    template = None
    parts: list[str] = []
    for post in page.posts:
        files = page.attachments.get(post.id, [])
        own = viewer_id == post.author_id
        key = _key(post, files, language, network.slug, own, moderator, can_reply)
        html = _cache.get(key)
        if html is None:
            if template is None:
                template = current_app.jinja_env.get_template("forums/_post.html")
                labels = _labels(moderator)
                post_urls, number_label = make_links()
            html = template.render(post=post, files=files, network=network, own=own,
                                   can_moderate=moderator, can_reply=can_reply,
                                   post_urls=post_urls, number_label=number_label,
                                   labels=labels, csrf_value=CSRF_PLACEHOLDER)
            _cache.put(key, html)
        parts.append(html)
    joined = "\n".join(parts)

    def render(csrf_value: str) -> Markup:
        return Markup(joined.replace(CSRF_PLACEHOLDER, str(csrf_value)))

    return render


# --- the rest of the page: the same for every reader ---------------------------------------

def reply_box(network, topic) -> Markup:
    """The reply form of a topic page: the same for every reader who may reply."""
    from workspace.forums.forms import PostForm

    csrf_enabled = current_app.config.get("WTF_CSRF_ENABLED", True)
    return render_kept(_page_parts, (network.slug, topic.id, csrf_enabled),
                       "forums/_reply_box.html", lambda: {"form": PostForm(meta={"csrf": False})},
                       network=network, topic=topic, csrf_enabled=csrf_enabled)


def topic_head(network, topic, category, following: bool, show_unread: bool) -> Markup:
    """Breadcrumb, title and buttons of a topic page: keyed by every value they show."""
    key = (network.slug, topic.id, topic.title, topic.is_pinned, topic.is_locked,
           topic.is_hidden, category.id, category.name, following, show_unread)
    return render_kept(_page_parts, key, "forums/_topic_head.html", network=network,
                       topic=topic, category=category, following=following,
                       show_unread=show_unread)


def clear() -> None:
    """Forget every kept post and form (tests)."""
    _cache.clear()
    _page_parts.clear()
