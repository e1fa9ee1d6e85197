"""French labels of the inventory's kinds (codes are stored, labels are shown)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

CONTRACT_KIND_LABELS = {
    "telecoms": _l("Télécommunications"),
    "software": _l("Logiciel"),
    "maintenance": _l("Maintenance de matériel"),
    "printing": _l("Impression et copieurs"),
    "other": _l("Autre"),
}
ITEM_KIND_LABELS = {
    "software": _l("Logiciel"),
    "hardware": _l("Matériel informatique"),
    "network": _l("Réseau et téléphonie"),
    "printer": _l("Impression"),
    "other": _l("Autre"),
}
