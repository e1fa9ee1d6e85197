"""Reports: any member flags a post with a reason; the coordinators get an e-mail and a list
to work through."""
from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import text_of
from tests.forums.helpers import forum_url, start_topic
from workspace.extensions import db
from workspace.forums.models import Report


def test_report_reaches_coordinators_until_resolved(forum, signed_in, mailbox, make_user):
    network, category, alice, bob, coordinator, _ = forum
    second_coordinator = make_user(first_name="Denis", last_name="Lefèvre")
    from workspace.networks import service as networks
    from workspace.networks.models import ROLE_COORDINATOR

    networks.add_member(coordinator, network, second_coordinator, ROLE_COORDINATOR)
    db.session.commit()
    post = start_topic(alice, category, title="Vente de matériel")
    mailbox.clear()
    bob_client = signed_in(bob)
    form = bob_client.get(forum_url(network, f"/p/{post.id}/report"))
    assert form.status_code == 200 and "Pourquoi signalez-vous" in text_of(form)
    response = bob_client.post(forum_url(network, f"/p/{post.id}/report"),
                               data={"reason": "Annonce commerciale hors sujet"},
                               follow_redirects=True)
    assert "les coordinateurs du réseau sont prévenus" in text_of(response)
    for person in (coordinator, second_coordinator):
        [message] = mailbox.to(person.email)
        assert "Message signalé" in message["Subject"]
        assert "Vente de matériel" in message["Subject"]
    assert mailbox.to(alice.email) == [] and mailbox.to(bob.email) == []

    coordinator_client = signed_in(coordinator)
    listing = forum_url(network, "/reports")
    page = text_of(coordinator_client.get(listing))
    assert "Annonce commerciale hors sujet" in page and "Bob Durand" in page
    assert '<span class="badge text-bg-danger">1</span>' in coordinator_client.get(
        forum_url(network, "/")).get_data(as_text=True)
    report = db.session.scalar(select(Report))
    response = coordinator_client.post(forum_url(network, f"/reports/{report.id}/resolve"))
    assert response.status_code == 302
    page = text_of(coordinator_client.get(listing))
    assert "Annonce commerciale hors sujet" not in page
    assert "Aucun signalement en attente." in page
    resolved = db.session.get(Report, report.id)
    assert resolved.resolved_at is not None and resolved.resolved_by_id == coordinator.id


def test_report_needs_a_reason(forum, signed_in, mailbox):
    network, category, alice, bob, coordinator, _ = forum
    post = start_topic(alice, category)
    mailbox.clear()
    response = signed_in(bob).post(forum_url(network, f"/p/{post.id}/report"),
                                   data={"reason": "   "})
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Report.id))) == 0
    assert mailbox.to(coordinator.email) == []


def test_members_do_not_see_the_reports(forum, signed_in):
    network, category, alice, bob, coordinator, _ = forum
    post = start_topic(alice, category)
    signed_in(bob).post(forum_url(network, f"/p/{post.id}/report"), data={"reason": "Doublon"})
    report = db.session.scalar(select(Report))
    client = signed_in(alice)
    assert client.get(forum_url(network, "/reports")).status_code == 403
    assert client.post(forum_url(network, f"/reports/{report.id}/resolve")).status_code == 403
    assert db.session.get(Report, report.id).resolved_at is None
