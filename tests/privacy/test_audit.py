"""The audit log: the security events are recorded with who, whom, when and from where,
never with a password, token or hash; administrators read it with filters; it is purged
after the retention period."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, text_of
from workspace.admin import service as admin_service
from workspace.auth.models import PURPOSE_RESET, User
from workspace.auth.service import issue_token
from workspace.core.jobs import run_pending_jobs
from workspace.extensions import db
from workspace.networks import service as networks
from workspace.networks.models import ROLE_COORDINATOR
from workspace.privacy import audit
from workspace.privacy.models import AuditEvent

NEW_PASSWORD = "une nouvelle phrase de passe assez longue"
RESET_PASSWORD = "encore une autre phrase de passe sûre"


def _events(kind: str | None = None) -> list[AuditEvent]:
    statement = select(AuditEvent).order_by(AuditEvent.id)
    if kind:
        statement = statement.where(AuditEvent.kind == kind)
    return list(db.session.scalars(statement))


def _dump() -> str:
    """Every column of every audit row, as text: what a leaked table would show."""
    rows = db.session.execute(select(AuditEvent.__table__)).all()
    return "\n".join(repr(tuple(row)) for row in rows)


def test_the_flows_are_recorded_without_any_secret(world, client, login, make_user):
    leaver, admin = world.leaver, world.admin
    secrets = [PASSWORD, NEW_PASSWORD, RESET_PASSWORD]
    # sign-in failure, success, sign-out
    assert client.post("/login", data={"email": leaver.email, "password": "mauvais mot "
                                       "de passe"}).status_code == 401
    assert client.post("/login", data={"email": "inconnu@example.org",
                                       "password": "x" * 12}).status_code == 401
    secrets.append("mauvais mot de passe")
    login(client, leaver)
    client.post("/logout")
    # password change, then reset through a link
    login(client, leaver)
    response = client.post("/account/password", data={
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302, text_of(response)[:300]
    client.post("/logout")
    assert client.post("/password/forgot", data={"email": leaver.email}).status_code == 302
    token = issue_token(leaver, PURPOSE_RESET, timedelta(hours=2))  # replaces the e-mailed one
    db.session.commit()
    secrets.append(token)
    assert client.post(f"/password/reset/{token}", data={
        "password": RESET_PASSWORD, "confirm": RESET_PASSWORD}).status_code == 302
    # memberships and roles
    requester = make_user(first_name="Yves", last_name="Demandeur")
    request = networks.request_to_join(requester, world.network, "Bonjour")
    networks.decide_join_request(world.coordinator, request, True)
    membership = networks.get_membership(world.network, requester)
    networks.set_role(world.coordinator, membership, ROLE_COORDINATOR)
    networks.set_role(world.coordinator, membership, "member")
    networks.remove_member(world.coordinator, membership)
    networks.add_member(world.coordinator, world.network, requester)
    # account changes by an administrator
    invited = admin_service.invite_user(admin_service.Profile(
        email="nouveau@example.org", first_name="Noé", last_name="Nouveau"), admin)
    admin_service.set_user_active(world.outsider, False, admin)
    admin_service.set_user_active(world.outsider, True, admin)
    admin_service.update_user(world.colleague, admin_service.Profile(
        email=world.colleague.email, first_name="Marc", last_name="Petit", is_admin=True),
        admin)
    db.session.commit()
    run_pending_jobs()  # the invitation e-mail: its link holds a token too
    secrets += [user.password_hash for user in db.session.scalars(select(User))
                if user.password_hash]

    kinds = [event.kind for event in _events()]
    for kind in ("login_failed", "login", "logout", "password_changed", "reset_requested",
                 "password_reset", "join_approved", "role_changed", "member_removed",
                 "member_added", "account_invited", "account_disabled", "account_enabled",
                 "admin_granted"):
        assert kind in kinds, kind
    [failure, unknown] = _events("login_failed")
    assert failure.subject_id == leaver.id and failure.details == {"email": leaver.email}
    assert unknown.subject_id is None and unknown.details["email"] == "inconnu@example.org"
    assert failure.ip_address == "127.0.0.1" and failure.actor_id is None
    [change] = _events("password_changed")
    assert change.subject_id == change.actor_id == leaver.id
    roles = [e.details for e in _events("role_changed")]
    assert roles == [{"network": "informatique", "before": "member", "after": "coordinator"},
                     {"network": "informatique", "before": "coordinator", "after": "member"}]
    [invitation] = _events("account_invited")
    assert (invitation.subject_id, invitation.actor_id) == (invited.id, admin.id)

    dump = _dump()
    for secret in secrets:
        assert secret not in dump
    for word in ("password_hash", "token", "pbkdf2", "scrypt"):
        assert word not in dump.lower()


def test_secret_looking_details_are_never_stored(app, world):
    event = audit.record("login", subject=world.leaver, details={
        "password": "x", "reset_token": "y", "hash": "z", "note": "n" * 1000, "ok": True})
    db.session.commit()
    assert event.details == {"note": "n" * audit.MAX_DETAIL_LENGTH, "ok": True}


def test_the_retention_period_purges_old_events(app, world, runner):
    old = audit.record("login", subject=world.leaver)
    old.created_at = datetime.now(UTC) - timedelta(days=400)
    recent = audit.record("logout", subject=world.leaver)
    recent.created_at = datetime.now(UTC) - timedelta(days=300)
    db.session.commit()
    assert audit.purge_old_events() == 1
    db.session.commit()
    assert [e.kind for e in _events()] == ["logout"]
    app.config["AUDIT_RETENTION_DAYS"] = 30
    result = runner.invoke(args=["privacy", "purge-audit"])
    assert "1 événement" in result.output
    assert _events() == []


def test_the_purge_is_a_daily_job(app):
    from workspace.core.jobs import handlers, periodic_tasks

    assert periodic_tasks(app)["privacy.audit_purge"].daily_at == "04:10"
    assert "privacy.audit_purge" in handlers(app)


@pytest.fixture
def logged_events(world):
    """Sixty sign-ins of the leaver, a failure for the colleague, an old event."""
    now = datetime.now(UTC)
    for n in range(60):
        audit.record("login", subject=world.leaver, actor=world.leaver).created_at = (
            now - timedelta(minutes=n))
    audit.record("login_failed", subject=world.colleague, details={
        "email": world.colleague.email})
    old = audit.record("account_disabled", subject=world.outsider, actor=world.admin)
    old.created_at = datetime(2026, 1, 15, 12, tzinfo=UTC)
    db.session.commit()


def test_administrators_read_and_filter_the_log(world, logged_events, signed_in):
    admin = signed_in(world.admin)
    page = text_of(admin.get("/admin/audit"))
    # the 62 events, and the administrator's own sign-in
    assert "Journal de sécurité" in page and "63 événements" in page
    assert "page 1 sur 2" in page
    assert "63 événements" in text_of(admin.get("/admin/audit?page=2"))
    failures = text_of(admin.get("/admin/audit?kind=login_failed"))
    assert "1 événement" in failures and world.colleague.email in failures
    by_user = text_of(admin.get(f"/admin/audit?user={world.outsider.id}"))
    assert "1 événement" in by_user and "Compte désactivé" in by_user
    by_actor = text_of(admin.get(f"/admin/audit?user={world.admin.id}"))
    assert "2 événements" in by_actor
    dated = text_of(admin.get("/admin/audit?since=2026-01-15&until=2026-01-15"))
    assert "1 événement" in dated and "Compte désactivé" in dated
    assert "0 événement" in text_of(admin.get("/admin/audit?until=2025-12-31"))


@pytest.mark.parametrize("query", [
    "kind=inconnu", "user=abc", "user=-4", "user=99999999999999999999", "since=hier",
    "since=2026-13-45", "since=2026-02-01&until=2026-01-01", "kind=%00",
    "user=1%27%20OR%201=1",
])
def test_bad_filters_never_fail(world, logged_events, signed_in, query):
    response = signed_in(world.admin).get(f"/admin/audit?{query}")
    assert response.status_code == 200
    assert "63 événements" in text_of(response)  # the bad filter is ignored


@pytest.mark.parametrize("page", ["99", "abc", "-1"])
def test_a_page_out_of_range_is_404_not_500(world, logged_events, signed_in, page):
    assert signed_in(world.admin).get(f"/admin/audit?page={page}").status_code == 404


def test_only_administrators_see_the_log(world, signed_in, client):
    assert client.get("/admin/audit").status_code == 302
    for user in (world.leaver, world.coordinator):
        assert signed_in(user).get("/admin/audit").status_code == 403
