"""Access expectations of single sign-on: the provider routes answer 404 for a provider
that is not configured (the matrix's app has none; tests/sso/ signs in through real ones),
and only administrators map organisation claims."""
from __future__ import annotations

from tests.access.common import admin_only, expect

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("sso.oidc_login", "GET"): expect(404, 404, 404, 404, 404),
    ("sso.oidc_callback", "GET"): expect(404, 404, 404, 404, 404),
    ("sso.organisation_claims", "GET"): admin_only(),
    ("sso.organisation_claims", "POST"): admin_only(200),  # empty form: the form says why
    ("sso.organisation_claim_delete", "POST"): admin_only(404),  # no such mapping
}


def build(users: dict, private, values: dict) -> dict:
    return {"provider": "inconnu"}
