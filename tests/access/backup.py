"""Access expectations of the backup routes: the network export is for coordinators and
administrators; members are refused (403) and outsiders never learn it exists (404)."""
from __future__ import annotations

from tests.access.common import in_network

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("backup.network_export", "GET"): in_network(403, 200),
    ("backup.network_export_download", "GET"): in_network(403, 200),
}


def build(users: dict, private, values: dict) -> dict:
    """The export needs no object of its own: the network's slug is enough."""
    return {}
