"""Access expectations of reply by e-mail: only administrators see the received mail."""
from __future__ import annotations

from tests.access.common import admin_only

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("mailin.message_list", "GET"): admin_only(),
}


def build(users: dict, private, values: dict) -> dict:
    return {}
