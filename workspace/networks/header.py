"""A network's title and tabs, at the top of every page of the network: rendered once per
network, language, page and kind of reader, then kept (workspace/core/fragments.py)."""
from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from workspace.core.fragments import FragmentCache, app_key
from workspace.networks import access

_cache = FragmentCache(2_000)


def network_header(network) -> Markup:
    current = request.endpoint or ""
    can_manage = access.can_manage_network(current_user, network)
    key = (app_key(), str(get_locale()), network.id, network.slug, network.name,
           network.is_private, can_manage, current)
    return Markup(_cache.get_or_render(key, lambda: current_app.jinja_env.get_template(
        "networks/_header_tabs.html").render(network=network, can_manage=can_manage,
                                             current=current)))
