"""Access expectations of the privacy routes: the member's own data archive, the
administrators' anonymisation and audit log, the public legal pages."""
from __future__ import annotations

from tests.access.common import LOGIN, admin_only, expect, in_network, signed_in  # noqa: F401

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("privacy.my_data", "GET"): signed_in(200),
    ("privacy.data_archive", "POST"): signed_in(200),  # each one gets their own archive
    ("privacy.user_anonymise", "GET"): admin_only(),
    ("privacy.user_anonymise", "POST"): admin_only(200),  # not confirmed: the form says so
    ("privacy.audit_log", "GET"): admin_only(),
    ("legal.page", "GET"): expect(200, 200, 200, 200, 200),  # public
    ("legal.page_edit", "GET"): admin_only(),
    ("legal.page_edit", "POST"): admin_only(200),  # empty text: refused with a message
    ("legal.page_history", "GET"): admin_only(),
}


def build(users: dict, private, values: dict) -> dict:
    """Legal pages exist without rows; the anonymisation target is the member (values)."""
    return {"slug": "mentions-legales"}
