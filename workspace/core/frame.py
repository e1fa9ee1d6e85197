"""The frame of every page (`base.html`): the site's navigation bar, the footer and the
links to styles and scripts, kept as HTML fragments (`core/fragments.py`, rendered
in the kept environment: the templates see only the values below).

The frame is the same on every page a reader opens in one language, but for a few inputs:
signed in or not, the reader's name and administrator flag, the current menu entry, the
bell's count. They are read from the database on every request (by the sign-in statement)
and are all in the key, so a renamed reader, a withdrawn administrator right or a new
notification finds another entry; nothing is invalidated. The CSRF token and the page's own
address (the language switch returns to it) are substituted when the frame is served.
Rendering the frame took about a third of a forum page (some 30 `url_for` and `gettext`).
"""
from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import get_locale
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from workspace.core.fragments import KeptTemplate

HEADER = KeptTemplate("_frame/header.html", ("reader", "section", "bell", "search"),
                      max_entries=4_000)
HEAD = KeptTemplate("_frame/head.html", (), max_entries=10)
FOOTER = KeptTemplate("_frame/footer.html", ("legal", "current_locale"),
                      slots=("request_path",), max_entries=100)


def _current_section(endpoint: str) -> str | None:
    """The menu entry marked as the current page."""
    if endpoint == "home.index":
        return "home"
    if endpoint == "notifications.notification_list":
        return "notifications"
    for prefix, section in (("network", "networks"), ("directory", "directory"),
                            ("admin", "admin")):
        if endpoint.startswith(prefix):
            return section
    return None


def _parts() -> tuple[bool, bool, bool]:
    """The optional parts of the frame this application has: bell, search box, legal pages
    (tests build applications without some features)."""
    views = current_app.view_functions
    return ("notifications.notification_list" in views, "search.search" in views,
            "legal.page" in views)


@pass_context
def frame_header(context) -> Markup:
    """The navigation bar."""
    user = current_user._get_current_object()
    bell, search, _ = _parts()
    reader = None
    if user is not None and user.is_authenticated:
        unread = context["notification_unread_count"]() if bell else 0
        reader = (user.full_name, bool(user.is_admin), unread)
    return HEADER.render(reader=reader, section=_current_section(request.endpoint or ""),
                         bell=bell, search=search)


def frame_head() -> Markup:
    """The links to the style sheets and the icon (fingerprinted: core/assets.py)."""
    return HEAD.render()


def frame_footer() -> Markup:
    """The footer (legal links, language switch) and the scripts every page loads. The
    language switch returns to this page: its address is a slot."""
    return FOOTER.render({"request_path": request.full_path.rstrip("?")},
                         legal=_parts()[2], current_locale=str(get_locale()))


def init_frame(app: Flask) -> None:
    app.jinja_env.globals.update(frame_header=frame_header, frame_head=frame_head,
                                 frame_footer=frame_footer)
