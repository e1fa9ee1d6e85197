"""The channels a user may choose for each kind of event, and the kinds features register
(each with its label, sentence and default channel)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask_babel import lazy_gettext as _l

from workspace.core.registry import registry

SITE, IMMEDIATE, DAILY, WEEKLY, NONE = "site", "immediate", "daily", "weekly", "none"
ALL_CHANNELS = (IMMEDIATE, DAILY, WEEKLY, SITE, NONE)
DIGESTS = (DAILY, WEEKLY)
CHANNEL_LABELS = {
    IMMEDIATE: _l("E-mail immédiat"),
    DAILY: _l("Résumé quotidien"),
    WEEKLY: _l("Résumé hebdomadaire (lundi)"),
    SITE: _l("Sur le site seulement"),
    NONE: _l("Rien"),
}


@dataclass(frozen=True)
class Kind:
    name: str
    label: object            # lazy string: the preferences page and digests
    sentence: object         # lazy string with %(actor)s, %(title)s, %(network)s
    default: str
    channels: tuple[str, ...] = ALL_CHANNELS
    order: int = 50          # place on the preferences page
    # kinds of one group notify a person once per object (a post that mentions a follower:
    # one notification, the mention)
    one_per_target: str | None = None
    mail_elsewhere: bool = False  # the feature sends the e-mail itself (grouped reminders)
    # an important event of another kind reaches "site only" people by e-mail too; for a
    # kind that is itself the important one (announcements), "site only" is a refusal
    important_keeps_site: bool = False


def register_kind(app: Flask, kind: Kind) -> None:
    """A kind of event a feature notifies (`service.notify(kind.name, ...)`)."""
    registry("notification_kinds", app)[kind.name] = kind


def kinds(app: Flask | None = None) -> dict[str, Kind]:
    """Every registered kind, in the order of the preferences page."""
    found = registry("notification_kinds", app)
    return dict(sorted(found.items(), key=lambda item: item[1].order))


def kind(name: str) -> Kind | None:
    return registry("notification_kinds").get(name)
