"""The kinds of events, the channels a user may choose for each, and their defaults."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

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


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("mention", _l("Mentions de mon nom (@)"),
         _l("%(actor)s vous a mentionné dans « %(title)s »"), IMMEDIATE),
    Kind("forum_post", _l("Nouveaux messages des sujets et catégories suivis"),
         _l("%(actor)s a écrit dans « %(title)s »"), DAILY),
    # important announcements go at once whatever the digest setting: no digest offered
    Kind("announcement", _l("Annonces importantes des coordinateurs"),
         _l("Annonce importante : « %(title)s »"), IMMEDIATE, (IMMEDIATE, SITE, NONE)),
    Kind("meeting_scheduled", _l("Réunions programmées"),
         _l("Réunion programmée : « %(title)s »"), DAILY),
    Kind("meeting_changed", _l("Réunions modifiées ou annulées"),
         _l("Réunion modifiée : « %(title)s »"), IMMEDIATE),
    Kind("minutes_published", _l("Comptes rendus publiés"),
         _l("Compte rendu publié : « %(title)s »"), DAILY),
    Kind("action_assigned", _l("Actions qui me sont confiées"),
         _l("%(actor)s vous a confié l'action « %(title)s »"), IMMEDIATE),
    # the overdue reminder is its own daily e-mail (calendar/reminders.py): no digest
    Kind("action_overdue", _l("Actions en retard"),
         _l("Action en retard : « %(title)s »"), IMMEDIATE, (IMMEDIATE, SITE, NONE)),
    Kind("workshop_opened", _l("Nouveaux ateliers"),
         _l("Nouvel atelier : « %(title)s »"), DAILY),
    Kind("seat_confirmed", _l("Inscription confirmée à un atelier"),
         _l("Votre place est confirmée : « %(title)s »"), IMMEDIATE),
    Kind("seat_promoted", _l("Place libérée sur liste d'attente"),
         _l("Une place s'est libérée : « %(title)s »"), IMMEDIATE),
    Kind("join_request", _l("Demandes d'adhésion (coordinateurs)"),
         _l("%(actor)s demande à rejoindre le réseau « %(network)s »"), IMMEDIATE),
    Kind("join_decision", _l("Réponse à mes demandes d'adhésion"),
         _l("Réponse à votre demande d'adhésion au réseau « %(network)s »"), IMMEDIATE),
    Kind("new_document", _l("Nouveaux documents des dossiers suivis"),
         _l("Nouveau document « %(title)s »"), DAILY),
)}
