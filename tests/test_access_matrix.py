"""Every route of the URL map, for every kind of user: an explicit expected status.

Roles: an anonymous visitor, a member of the private network, a member of *another* network
(the outsider), a coordinator of the private network and an administrator. Objects of a
private network answer 404 to outsiders. A route added without an expectation here fails
`test_every_route_has_an_expectation`.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
from flask import current_app
from itsdangerous import URLSafeSerializer

from tests.access.common import LOGIN, ROLES, admin_only, expect, in_network, signed_in
from tests.documents.conftest import png_bytes
from workspace.core.jobs import FAILED, Job
from workspace.documents import service as documents
from workspace.documents import uploads
from workspace.extensions import db
from workspace.forums import service as forums
from workspace.forums.public import LEGACY_SALT
from workspace.meetings import service as meetings
from workspace.needs import service as needs
from workspace.networks import service as networks
from workspace.workshops import service as workshops

FEATURES = [import_module(f"tests.access.{name}") for name in (
    "plan", "inventory", "tutorials", "notifications", "privacy", "backup", "activity",
    "polls", "sso", "mailin")]

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("static", "GET"): expect(200),
    ("bootstrap.static", "GET"): expect(200),
    # accounts
    ("auth.login", "GET"): expect(200, 302, 302, 302, 302),
    ("auth.login", "POST"): expect(200, 302, 302, 302, 302),
    ("auth.logout", "POST"): expect(302, 302, 302, 302, 302),
    ("auth.logout_everywhere", "POST"): signed_in(302),
    ("auth.forgot_password", "GET"): expect(200),
    ("auth.forgot_password", "POST"): expect(200),
    ("auth.reset_password", "GET"): expect(404, 404, 404, 404, 404),
    ("auth.reset_password", "POST"): expect(404, 404, 404, 404, 404),
    ("auth.accept_invitation", "GET"): expect(404, 404, 404, 404, 404),
    ("auth.accept_invitation", "POST"): expect(404, 404, 404, 404, 404),
    ("auth.account", "GET"): signed_in(200),
    ("auth.account", "POST"): signed_in(302),  # empty form: profile kept as is
    ("auth.change_password", "GET"): signed_in(200),
    ("auth.change_password", "POST"): signed_in(200),
    ("auth.sessions", "GET"): signed_in(200),
    ("auth.set_language", "POST"): expect(400, 400, 400, 400, 400),
    # home, directory
    ("home.index", "GET"): signed_in(200),
    ("directory.person_list", "GET"): signed_in(200),
    ("directory.person_detail", "GET"): signed_in(200),
    # networks
    ("networks.network_list", "GET"): signed_in(200),
    ("networks.network_create", "GET"): admin_only(),
    ("networks.network_create", "POST"): admin_only(),
    ("network.detail", "GET"): in_network(200, 200),
    ("network.edit", "GET"): in_network(403, 200),
    ("network.edit", "POST"): in_network(403, 302),
    ("network.join", "GET"): expect(member=302, outsider=200, coordinator=302, admin=200),
    ("network.join", "POST"): expect(member=302, outsider=302, coordinator=302, admin=302),
    ("network.join_withdraw", "POST"): signed_in(302),
    ("network.leave", "POST"): in_network(302, 302, admin=404),
    ("network.request_list", "GET"): in_network(403, 200),
    ("network.request_decide", "POST"): in_network(403, 400),
    ("network.member_list", "GET"): in_network(403, 200),
    ("network.member_list", "POST"): in_network(403, 200),
    ("network.member_role", "POST"): in_network(403, 400),
    ("network.member_remove", "POST"): in_network(403, 302),
    # administration
    ("admin.user_list", "GET"): admin_only(),
    ("admin.user_invite", "GET"): admin_only(),
    ("admin.user_invite", "POST"): admin_only(),
    ("admin.user_import", "GET"): admin_only(),
    ("admin.user_import", "POST"): admin_only(),
    ("admin.user_import_template", "GET"): admin_only(),
    ("admin.user_edit", "GET"): admin_only(),
    ("admin.user_edit", "POST"): admin_only(302),
    ("admin.user_toggle_active", "POST"): admin_only(302),
    ("admin.user_password_sign_in", "POST"): admin_only(302),
    ("admin.user_resend_invitation", "POST"): admin_only(302),
    ("admin.organisation_list", "GET"): admin_only(),
    ("admin.organisation_create", "GET"): admin_only(),
    ("admin.organisation_create", "POST"): admin_only(),
    ("admin.organisation_edit", "GET"): admin_only(),
    ("admin.organisation_edit", "POST"): admin_only(302),
    ("admin.job_list", "GET"): admin_only(),
    ("admin.job_retry", "POST"): admin_only(302),
    # documents of the private network
    ("documents.library", "GET"): in_network(200, 200),
    ("documents.folder_detail", "GET"): in_network(200, 200),
    ("documents.recent", "GET"): in_network(200, 200),
    ("documents.upload", "GET"): in_network(200, 200),
    ("documents.upload", "POST"): in_network(200, 200),  # no file: the form says so
    ("documents.folder_create", "POST"): in_network(302, 302),
    ("documents.folder_rename", "POST"): in_network(302, 302),
    ("documents.folder_move", "POST"): in_network(302, 302),
    ("documents.folder_follow", "POST"): in_network(302, 302),
    ("documents.folder_delete", "POST"): in_network(302, 302),  # the member created it
    ("documents.document_detail", "GET"): in_network(200, 200),
    ("documents.document_edit", "GET"): in_network(200, 200),
    ("documents.document_edit", "POST"): in_network(200, 200),
    ("documents.version_upload", "POST"): in_network(302, 302),
    ("documents.version_restore", "POST"): in_network(302, 302),
    ("documents.document_download", "GET"): in_network(200, 200),
    ("documents.version_download", "GET"): in_network(200, 200),
    ("documents.document_preview", "GET"): in_network(200, 200),
    ("documents.document_thumbnail", "GET"): in_network(200, 200),
    ("documents.extraction_retry", "POST"): in_network(403, 302),
    ("documents.document_delete", "POST"): in_network(302, 302),  # the member uploaded it
    ("documents.selection_apply", "POST"): in_network(302, 302),  # nothing ticked: told so
    # without the signed list of one's own held files: 404 (tests/documents/test_comforts.py)
    ("documents.upload_same_name", "GET"): in_network(404, 404),
    ("documents.upload_same_name", "POST"): in_network(404, 404),
    ("documents.trash", "GET"): in_network(403, 200),
    ("documents.trash_restore_document", "POST"): in_network(403, 302),
    ("documents.trash_restore_folder", "POST"): in_network(403, 302),
    # forum of the private network
    ("forums.forum_index", "GET"): in_network(200, 200),
    ("forums.new_since", "GET"): in_network(200, 200),
    ("forums.feed", "GET"): in_network(200, 200),
    ("forums.category_detail", "GET"): in_network(200, 200),
    ("forums.topic_detail", "GET"): in_network(200, 200),
    ("forums.topic_unread", "GET"): in_network(302, 302),
    ("forums.post_link", "GET"): in_network(302, 302),
    ("forums.post_history", "GET"): in_network(200, 200),
    ("forums.preview", "POST"): in_network(200, 200),
    ("forums.topic_create", "GET"): in_network(200, 200),
    ("forums.topic_create", "POST"): in_network(200, 200),  # empty: the form says why
    ("forums.topic_reply", "GET"): in_network(200, 200),
    ("forums.topic_reply", "POST"): in_network(200, 200),
    ("forums.post_edit", "GET"): in_network(200, 200),  # the member wrote it
    ("forums.post_edit", "POST"): in_network(302, 302),  # nothing sent: nothing changes
    ("forums.post_delete", "POST"): in_network(302, 302),
    ("forums.post_restore", "POST"): in_network(403, 302),
    ("forums.post_hide", "POST"): in_network(403, 302),
    ("forums.post_report", "GET"): in_network(200, 200),
    ("forums.post_report", "POST"): in_network(200, 200),
    ("forums.topic_follow", "POST"): in_network(302, 302),
    ("forums.category_follow", "POST"): in_network(302, 302),
    ("forums.category_create", "GET"): in_network(403, 200),
    ("forums.category_create", "POST"): in_network(403, 200),
    ("forums.category_edit", "GET"): in_network(403, 200),
    ("forums.category_edit", "POST"): in_network(403, 302),
    ("forums.category_move", "POST"): in_network(403, 302),
    ("forums.topic_moderate", "POST"): in_network(403, 400),  # no action given
    ("forums.topic_move", "POST"): in_network(403, 302),
    ("forums.report_list", "GET"): in_network(403, 200),
    ("forums.report_resolve", "POST"): in_network(403, 302),
    # what an open page asks without reloading (forums/live_views.py)
    ("forums.topic_state", "GET"): in_network(200, 200),
    ("forums.member_suggest", "GET"): in_network(200, 200),
    ("forums.file_upload", "POST"): in_network(400, 400),  # no file: told so
    # a link of an e-mail sent before the one unsubscribe scheme: sent on to today's page
    # (307 keeps a one-click POST a POST); 404 to others
    ("forums_public.unsubscribe", "GET"): expect(307, 307, 404, 404, 404),
    ("forums_public.unsubscribe", "POST"): expect(307, 307, 404, 404, 404),
    # meetings of the private network
    ("meetings.meeting_list", "GET"): in_network(200, 200),
    ("meetings.meeting_create", "GET"): in_network(403, 200),
    ("meetings.meeting_create", "POST"): in_network(403, 200),
    ("meetings.meeting_detail", "GET"): in_network(200, 200),
    ("meetings.meeting_edit", "GET"): in_network(403, 200),
    ("meetings.meeting_edit", "POST"): in_network(403, 200),
    ("meetings.meeting_cancel", "POST"): in_network(403, 302),
    ("meetings.meeting_rsvp", "POST"): in_network(302, 302),  # no answer: told so
    ("meetings.meeting_attendance", "GET"): in_network(403, 200),
    ("meetings.meeting_attendance", "POST"): in_network(403, 302),
    ("meetings.minutes_edit", "GET"): in_network(200, 200),
    ("meetings.minutes_edit", "POST"): in_network(302, 302),
    ("meetings.minutes_history", "GET"): in_network(200, 200),
    ("meetings.decision_add", "POST"): in_network(403, 302),
    ("meetings.action_add", "POST"): in_network(302, 302),
    ("meetings.action_list", "GET"): in_network(200, 200),
    ("meetings.action_status", "POST"): in_network(302, 302),
    ("meetings.meeting_attach", "POST"): in_network(302, 302),
    ("search.search", "GET"): signed_in(200),
    # calendars and exports
    ("calendar.meeting_ics", "GET"): in_network(200, 200),
    ("calendar.workshop_ics", "GET"): in_network(200, 200),
    ("calendar.calendar_page", "GET"): in_network(200, 200),
    ("my_calendar.calendar_page", "GET"): signed_in(200),
    ("calendar_feed.feed", "GET"): expect(404, 404, 404, 404, 404),  # not a feed token
    ("calendar_feed.feed_settings", "GET"): signed_in(200),
    ("calendar_feed.feed_settings", "POST"): signed_in(200),  # empty form: nothing changes
    ("exports.meeting_document", "GET"): in_network(200, 200),
    ("exports.workshop_sheet", "GET"): in_network(200, 200),
    # workshops and needs of the private network
    ("workshops.workshop_list", "GET"): in_network(200, 200),
    ("workshops.workshop_detail", "GET"): in_network(200, 200),
    ("workshops.workshop_create", "GET"): in_network(403, 200),
    ("workshops.workshop_create", "POST"): in_network(403, 200),
    ("workshops.workshop_edit", "GET"): in_network(403, 200),
    ("workshops.workshop_edit", "POST"): in_network(403, 200),
    ("workshops.workshop_register", "POST"): in_network(302, 302),
    ("workshops.workshop_cancel", "POST"): in_network(302, 302),
    ("workshops.workshop_attendance", "GET"): in_network(403, 200),
    ("workshops.workshop_attendance", "POST"): in_network(403, 302),
    ("workshops.notes_edit", "GET"): in_network(200, 200),
    ("workshops.notes_edit", "POST"): in_network(302, 302),
    ("workshops.notes_history", "GET"): in_network(200, 200),
    ("workshops.workshop_feedback", "GET"): in_network(200, 200),
    ("workshops.workshop_feedback", "POST"): in_network(403, 403),  # participants only
    ("workshops.workshop_attach", "POST"): in_network(302, 302),
    ("needs.need_list", "GET"): in_network(200, 200),
    ("needs.need_create", "POST"): in_network(200, 200),
    ("needs.need_detail", "GET"): in_network(200, 200),
    ("needs.need_support", "POST"): in_network(302, 302),
    ("needs.need_to_meeting", "POST"): in_network(403, 302),
}
for _feature in FEATURES:
    assert not set(_feature.EXPECTED) & set(EXPECTED), _feature.__name__
    EXPECTED.update(_feature.EXPECTED)
# routes whose object must be in the trash
TRASHED = {"documents.trash_restore_document", "documents.trash_restore_folder"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_has_an_expectation(app):
    missing = sorted({(rule.endpoint, method) for rule, method in _routes(app)}
                     - set(EXPECTED))
    assert not missing, f"routes without an access expectation: {missing}"
    stale = sorted(set(EXPECTED) - {(rule.endpoint, m) for rule, m in _routes(app)})
    assert not stale, f"expectations for routes that no longer exist: {stale}"


@pytest.fixture
def world(make_user, make_network, make_organisation):
    """A private network with a member, a coordinator and a pending request; another network
    with the outsider; an administrator; a failed job."""
    organisation = make_organisation("Coulaines")
    users = {
        "member": make_user(organisation_id=organisation.id),
        "outsider": make_user(),
        "coordinator": make_user(),
        "admin": make_user(is_admin=True),
    }
    private = make_network("Réseau privé", members=[users["member"]],
                           coordinators=[users["coordinator"]])
    make_network("Autre réseau", members=[users["outsider"]])
    requester = make_user()
    join_request = networks.request_to_join(requester, private, "")
    job = Job(kind="mail.send", payload={}, status=FAILED, attempts=6, max_attempts=6)
    db.session.add(job)
    folder = documents.create_folder(users["member"], private, None, "Ateliers")
    trashed_folder = documents.create_folder(users["member"], private, None, "Ancien")
    [document, trashed] = uploads.upload_documents(users["member"], private, folder, [
        ("photo.png", uploads.incoming_bytes(png_bytes())),
        ("ancien.txt", uploads.incoming_bytes(b"ancien"))]).created
    documents.trash_document(users["member"], trashed)
    documents.trash_folder(users["member"], trashed_folder)
    category = forums.save_category(users["coordinator"], private, None, name="Zimbra")
    post = forums.create_topic(users["member"], category, "Quota des boîtes", "Question ?")
    report = forums.report_post(users["coordinator"], post, "Hors sujet")
    meeting = meetings.save_meeting(users["coordinator"], private, None, meetings.MeetingData(
        title="Réunion", description="", starts_at=datetime(2030, 1, 10, 9, tzinfo=UTC),
        ends_at=datetime(2030, 1, 10, 11, tzinfo=UTC), location="Le Mans"))
    action = meetings.add_action(users["coordinator"], private, meeting, "Recenser",
                                 owner_user=users["member"])
    start = datetime(2030, 2, 1, 9, tzinfo=UTC)
    workshop = workshops.save_workshop(users["coordinator"], private, None, workshops.WorkshopData(
        theme="Énergie", title="Chaudières", description="", starts_at=start,
        ends_at=start + timedelta(hours=2), location="Mulsanne", capacity=10,
        seats_per_commune=None, registration_deadline=start - timedelta(days=1)))
    need = needs.create_need(users["member"], private, "Formation GED", "")
    db.session.commit()
    token = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LEGACY_SALT).dumps(
        [users["member"].id, "topic", post.topic_id])
    values = {"network_slug": private.slug, "user_id": users["member"].id,
              "request_id": join_request.id, "organisation_id": organisation.id,
              "job_id": job.id, "filename": "css/app.css",
              "folder_id": folder.id, "document_id": document.id, "number": 1,
              "category_id": category.id, "topic_id": post.topic_id, "post_id": post.id,
              "report_id": report.id, "token": token, "meeting_id": meeting.id,
              "action_id": action.id, "workshop_id": workshop.id, "need_id": need.id,
              "kind": "agenda", "fmt": "pdf"}
    for feature in FEATURES:
        values.update(feature.build(users, private, values))
    db.session.commit()
    trashed_values = {**values, "folder_id": trashed_folder.id, "document_id": trashed.id}
    return users, values, trashed_values


def _url(app, rule, values):
    from flask import url_for

    if rule.endpoint == "bootstrap.static":
        values = {**values, "filename": "css/bootstrap.min.css"}
    with app.test_request_context():
        return url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method"), sorted(EXPECTED))
def test_access(app, client, login, world, role, endpoint, method):
    users, values, trashed_values = world
    if endpoint in TRASHED:
        values = trashed_values
    if endpoint.startswith("auth."):
        values = {**values, "token": "not-a-valid-token"}
    rules = [rule for rule, m in _routes(app) if rule.endpoint == endpoint and m == method]
    assert rules, f"{endpoint} {method} is not a route"
    if role != "anonymous":
        login(client, users[role])
    response = client.open(_url(app, rules[0], values), method=method, data={})
    expected = EXPECTED[(endpoint, method)][role]
    assert response.status_code == expected, (
        f"{role} {method} {endpoint}: {response.status_code}, expected {expected}")
    if expected == LOGIN and role == "anonymous" and endpoint not in (
            "auth.logout", "auth.login"):
        assert "/login" in response.headers["Location"]
