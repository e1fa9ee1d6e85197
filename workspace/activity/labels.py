"""How an event is told to a reader (French msgids, translated at display time)."""
from __future__ import annotations

from flask_babel import gettext as _

from workspace.activity.stream import Event


def kind_label(event: Event) -> str:
    """What happened, in a few words ("Nouveau sujet", "Nouvelle version (v3)"...)."""
    kind = event.kind
    if kind == "topic":
        return _("Nouveau sujet")
    if kind == "reply":
        return _("Nouvelle réponse")
    if kind == "document":
        return _("Document ajouté")
    if kind == "version":
        return _("Nouvelle version (v%(number)s)", number=event.detail)
    if kind == "meeting":
        return _("Réunion programmée (annulée depuis)") if event.detail else _(
            "Réunion programmée")
    if kind == "minutes":
        return _("Compte rendu publié")
    if kind == "workshop":
        return _("Atelier ouvert (annulé depuis)") if event.detail else _("Atelier ouvert")
    if kind == "notes":
        return _("Notes d'atelier publiées")
    return _("Besoin enregistré")


def headline(event: Event) -> str:
    """One line for a feed entry: what happened, and to what."""
    return _("%(what)s : %(title)s", what=kind_label(event), title=event.title)
