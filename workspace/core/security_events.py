"""Security events (sign-ins, password and role changes, account changes) announced by the
features and recorded by whoever listens: the audit log of ``workspace.privacy``. A signal
keeps the dependencies one way: auth, networks and admin import core, never privacy."""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
security_event = _signals.signal("security-event")


def announce(kind: str, *, subject=None, actor=None, **details) -> None:
    """Tell the listeners that `kind` happened to `subject` (a User or a user id), done by
    `actor` (None: the visitor or the system). `details` must never hold a secret."""
    security_event.send(kind, subject=subject, actor=actor, details=details)
