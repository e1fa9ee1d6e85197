"""Boxes that features add to a network's home page (upcoming meetings, workshops...), so
that the networks package does not import them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from workspace.auth.models import User
from workspace.networks.models import Network


@dataclass
class Panel:
    template: str
    context: dict
    order: int = 50


PanelMaker = Callable[[Network, User], Panel | None]
_makers: list[PanelMaker] = []


def register_panel(maker: PanelMaker) -> PanelMaker:
    if maker not in _makers:
        _makers.append(maker)
    return maker


def panels_for(network: Network, viewer: User) -> list[Panel]:
    found = [panel for maker in _makers if (panel := maker(network, viewer)) is not None]
    return sorted(found, key=lambda panel: panel.order)
