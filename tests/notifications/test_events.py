"""Events of every feature become notifications: the kind, the network, the actor and a
reference to the object — never a copied name — for the right people, never the actor."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.documents.conftest import png_bytes
from tests.notifications.conftest import body_of, notifications_of
from workspace.core.models import utcnow
from workspace.documents import service as documents
from workspace.documents import uploads
from workspace.extensions import db
from workspace.meetings import service as meetings
from workspace.networks import service as networks
from workspace.notifications import follows
from workspace.notifications.models import Notification
from workspace.workshops import service as workshops


def meeting_data(title: str, days: int = 10) -> meetings.MeetingData:
    start = datetime(2030, 1, 1, 9, tzinfo=UTC) + timedelta(days=days)
    return meetings.MeetingData(title=title, description="", starts_at=start,
                                ends_at=start + timedelta(hours=2), location="Le Mans")


def _kinds(user) -> list[tuple[str, str, int]]:
    return [(n.kind, n.target_type, n.actor_id) for n in notifications_of(user)]


def test_meeting_scheduled_changed_and_minutes(world):
    meeting = meetings.save_meeting(world.coordinator, world.network, None,
                                    meeting_data("Comité"))
    db.session.commit()
    meetings.save_meeting(world.coordinator, world.network, meeting, meeting_data("Comité", 11))
    meetings.save_minutes(world.alice, meeting, "Présents : tous.")
    meetings.save_minutes(world.alice, meeting, "Présents : tous. Excusé : Bob.")  # an edit
    db.session.commit()
    actor = world.coordinator.id
    assert _kinds(world.bob) == [("meeting_scheduled", "meeting", actor),
                                 ("meeting_changed", "meeting", actor),
                                 ("minutes_published", "meeting", world.alice.id)]
    assert [kind for kind, *_ in _kinds(world.alice)] == ["meeting_scheduled",
                                                          "meeting_changed"]
    assert _kinds(world.coordinator) == [("minutes_published", "meeting", world.alice.id)]
    assert notifications_of(world.outsider) == []


def test_action_assigned_to_a_person_or_to_a_commune(world, mailbox):
    meetings.add_action(world.coordinator, world.network, None, "Recenser les NAS",
                        owner_user=world.bob)
    db.session.commit()
    [message] = mailbox.to(world.bob.email)  # e-mail at once by default
    assert message["Subject"] == ("[Réseau informatique] Claire Moreau vous a confié "
                                  "l'action « Recenser les NAS »")
    assert "http://tilt.test/n/reseau-informatique/meetings/actions" in body_of(message)
    meetings.add_action(world.coordinator, world.network, None, "Plan IP",
                        owner_organisation=world.alice.organisation)
    db.session.commit()
    assert [kind for kind, *_ in _kinds(world.alice)] == ["action_assigned"]
    assert len(_kinds(world.bob)) == 2


def test_workshop_opened_confirmed_and_promoted(world, mailbox):
    start = utcnow() + timedelta(days=20)
    workshop = workshops.save_workshop(world.coordinator, world.network, None,
                                       workshops.WorkshopData(
                                           theme="Énergie", title="Chaudières", description="",
                                           starts_at=start, ends_at=start + timedelta(hours=2),
                                           location="Mulsanne", capacity=1,
                                           seats_per_commune=None,
                                           registration_deadline=start - timedelta(days=1)))
    db.session.commit()
    workshops.register(world.alice, workshop.id)
    workshops.register(world.bob, workshop.id)  # waiting list
    db.session.commit()
    assert [k for k, *_ in _kinds(world.alice)] == ["workshop_opened", "seat_confirmed"]
    [confirmed] = mailbox.to(world.alice.email)
    assert "Votre place est confirmée : « Chaudières »" in confirmed["Subject"]
    mailbox.clear()
    workshops.cancel(world.alice, workshop.id)
    db.session.commit()
    assert [k for k, *_ in _kinds(world.bob)] == ["workshop_opened", "seat_promoted"]
    [promoted] = mailbox.to(world.bob.email)
    assert promoted["Subject"] == "Une place s'est libérée : Chaudières"
    assert "votre inscription est maintenant confirmée" in body_of(promoted)
    assert promoted["List-Unsubscribe"]


def test_join_request_and_its_answer(world, make_user, mailbox):
    requester = make_user(first_name="Thomas", last_name="Nouveau")
    join_request = networks.request_to_join(requester, world.network, "Bonjour")
    db.session.commit()
    assert _kinds(world.coordinator) == [("join_request", "join_request", requester.id)]
    assert notifications_of(world.alice) == []
    networks.decide_join_request(world.coordinator, join_request, False, "Réservé aux DSI")
    db.session.commit()
    assert _kinds(requester) == [("join_decision", "join_answer",
                                  world.coordinator.id)]
    [answer] = mailbox.to(requester.email)
    assert "n'a pas été acceptée" in body_of(answer) and "Réservé aux DSI" in body_of(answer)


def test_refused_requester_still_sees_the_answer_not_the_network(world, make_user, signed_in):
    requester = make_user()
    join_request = networks.request_to_join(requester, world.network, "")
    networks.decide_join_request(world.coordinator, join_request, False, "")
    db.session.commit()
    client = signed_in(requester)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Réponse à votre demande d&#39;adhésion au réseau « Réseau informatique »" in page
    [row] = notifications_of(requester)
    assert client.get(f"/notifications/{row.id}").headers["Location"] == "/networks/"


def test_new_document_in_a_followed_folder_or_below(world):
    folder = documents.create_folder(world.alice, world.network, None, "Marchés")
    below = documents.create_folder(world.alice, world.network, folder, "2027")
    follows.follow(world.bob, "folder", folder.id)
    db.session.commit()
    [document] = uploads.upload_documents(world.alice, world.network, below, [
        ("plan.png", uploads.incoming_bytes(png_bytes()))]).created
    db.session.commit()
    assert _kinds(world.bob) == [("new_document", "document", world.alice.id)]
    assert notifications_of(world.coordinator) == []  # follows nothing
    row = notifications_of(world.bob)[0]
    assert row.target_id == document.id and row.network_id == world.network.id


def test_notifications_store_references_not_names(world):
    meetings.save_meeting(world.coordinator, world.network, None, meeting_data("Comité secret"))
    db.session.commit()
    row = db.session.scalar(select(Notification).where(Notification.user_id == world.bob.id))
    stored = [str(value) for value in (row.kind, row.target_type, row.channel, row.mail_state)]
    assert not any("Comité" in value or "Claire" in value for value in stored)
