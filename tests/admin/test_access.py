"""Every administration URL is for administrators only."""
from __future__ import annotations

import pytest

from tests.admin.helpers import text

EXPECTED_ENDPOINTS = {
    "admin.user_list", "admin.user_invite", "admin.user_import", "admin.user_import_template",
    "admin.user_edit", "admin.user_toggle_active", "admin.user_password_sign_in",
    "admin.user_resend_invitation",
    "admin.organisation_list", "admin.organisation_create", "admin.organisation_edit",
    "admin.job_list", "admin.job_retry",
}


def admin_routes(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) of every admin route, ids filled with 1."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        url = rule.build(dict.fromkeys(rule.arguments, 1), append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, url))
    return routes


def test_every_admin_endpoint_is_covered(app):
    assert {endpoint for endpoint, _, _ in admin_routes(app)} == EXPECTED_ENDPOINTS


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_only_administrators_get_in(app, client, make_user, login, role):
    target = make_user()
    if role == "member":
        login(client, target)
    for endpoint, method, url in admin_routes(app):
        response = client.open(url, method=method)
        if role == "anonymous":
            assert response.status_code == 302, (endpoint, method)
            assert response.headers["Location"].startswith("/login"), (endpoint, method)
        else:
            assert response.status_code == 403, (endpoint, method)
            assert "Accès refusé" in text(response)


def test_administrator_sees_the_area_and_its_tabs(admin_client):
    page = text(admin_client.get("/admin/users"))
    for tab in ("Utilisateurs", "Inviter", "Import CSV", "Organisations", "Tâches de fond"):
        assert tab in page
    assert 'href="/admin/users" aria-current="page"' in page
