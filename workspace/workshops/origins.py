"""Where a new workshop may come from: another feature (the needs register) registers an
origin, and the workshop form is pre-filled from it and tells it when the workshop exists.
So workshops knows nothing of needs: `?<origin name>=<id>` on the new-workshop page."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask

from workspace.core.registry import registry


@dataclass(frozen=True)
class WorkshopOrigin:
    name: str                                   # the query parameter, e.g. "need"
    model: type                                 # an object of the network (404 otherwise)
    prefill: Callable[[Any], dict]              # form data: title, description...
    notice: Callable[[Any], str]                # shown above the form
    created: Callable[[Any, Any, Any], None]    # (actor, origin object, new workshop)


def register_workshop_origin(app: Flask, origin: WorkshopOrigin) -> None:
    registry("workshop_origins", app)[origin.name] = origin


def workshop_origins() -> dict[str, WorkshopOrigin]:
    return registry("workshop_origins")
