"""Markdown to safe HTML: rendered by markdown-it-py, then sanitised by nh3."""
from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable(["table", "strikethrough"])

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "ul", "s",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"},
                      "th": {"align"}, "td": {"align"}}


def render_markdown(text: str | None) -> Markup:
    """Render user Markdown; the result carries no script, handler or unsafe link."""
    html = _md.render(text or "")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener nofollow ugc")
    return Markup(clean)


def markdown_text(text: str | None) -> str:
    """The words a reader sees in rendered Markdown, without its marks (`**`, `[...](...)`,
    `#`): what search indexes and quotes in its excerpts. Blocks stay on their own lines."""
    rendered = _md.render(text or "")
    return html.unescape(nh3.clean(rendered, tags=set())).strip()


def html_text(html_source: str | None, markdown_source: str | None = None) -> str:
    """The words of HTML rendered and sanitised when it was saved (a post's `body_html`):
    what `markdown_text(markdown_source)` gives, without rendering the Markdown again (nh3
    is compiled; markdown-it is not). Falls back to the Markdown when no HTML was kept."""
    if not html_source:
        return markdown_text(markdown_source)
    return html.unescape(nh3.clean(html_source, tags=set())).strip()
