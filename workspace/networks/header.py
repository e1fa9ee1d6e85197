"""A network's title and tabs, at the top of every page of the network: rendered once per
network, language, page and kind of reader, then kept (workspace/core/fragments.py)."""
from __future__ import annotations

from typing import NamedTuple

from flask import request
from flask_login import current_user
from markupsafe import Markup

from workspace.core.fragments import KeptTemplate
from workspace.networks import access

TABS = KeptTemplate("networks/_header_tabs.html", ("network", "can_manage", "current"))


class NetworkView(NamedTuple):
    """What kept fragments show of a network: plain values, part of their key."""
    id: int
    slug: str
    name: str
    is_private: bool

    @classmethod
    def of(cls, network) -> NetworkView:
        return cls(network.id, network.slug, network.name, bool(network.is_private))


def network_header(network) -> Markup:
    """The title and tabs; the tabs a coordinator has and the current one differ."""
    return TABS.render(network=NetworkView.of(network),
                       can_manage=access.can_manage_network(current_user, network),
                       current=request.endpoint or "")
