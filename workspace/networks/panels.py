"""Boxes that features add to a network's home page (upcoming meetings, workshops...), so
that the networks package does not import them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from workspace.auth.models import User
from workspace.core.registry import registry
from workspace.networks.models import Network


@dataclass
class Panel:
    template: str
    context: dict
    order: int = 50


PanelMaker = Callable[[Network, User], Panel | None]


def register_panel(app: Flask, name: str, maker: PanelMaker) -> None:
    """A box on the network's home page: `maker(network, viewer)` returns it, or None."""
    registry("network_panels", app)[name] = maker


def panels_for(network: Network, viewer: User) -> list[Panel]:
    makers = registry("network_panels").values()
    found = [panel for maker in makers if (panel := maker(network, viewer)) is not None]
    return sorted(found, key=lambda panel: panel.order)
