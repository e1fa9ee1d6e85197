"""Joining, approving, refusing, leaving, promoting: the life of a network's membership."""
import pytest
from sqlalchemy import select

from tests.conftest import text_of
from workspace.core.errors import DomainError
from workspace.extensions import db
from workspace.networks import service
from workspace.networks.models import (
    REQUEST_APPROVED,
    REQUEST_PENDING,
    REQUEST_REFUSED,
    ROLE_COORDINATOR,
    JoinRequest,
    Membership,
)


def _member_ids(network):
    return set(db.session.scalars(select(Membership.user_id).where(
        Membership.network_id == network.id)))


def test_join_request_approval_reaches_requester_by_email(client, make_user, make_network,
                                                          login, mailbox):
    coordinator = make_user(first_name="Julien")
    requester = make_user(first_name="Thomas")
    network = make_network("Réseau informatique", coordinators=[coordinator])
    login(client, requester)
    response = client.post(f"/n/{network.slug}/join",
                           data={"message": "Correspondant informatique de Coulaines"})
    assert response.status_code == 302
    [to_coordinator] = mailbox.to(coordinator.email)
    assert "Thomas" in to_coordinator.get_body(preferencelist=("plain",)).get_content()
    assert "http://tilt.test/n/reseau-informatique/requests" in to_coordinator.get_body(
        preferencelist=("plain",)).get_content()

    coordinator_client = client.application.test_client()
    login(coordinator_client, coordinator)
    page = coordinator_client.get(f"/n/{network.slug}/requests").get_data(as_text=True)
    assert "Correspondant informatique de Coulaines" in page
    join_request = db.session.scalar(select(JoinRequest))
    response = coordinator_client.post(f"/n/{network.slug}/requests/{join_request.id}",
                                       data={"decision": "approve", "answer": "Bienvenue !"})
    assert response.status_code == 302
    assert requester.id in _member_ids(network)
    [decision] = mailbox.to(requester.email)
    assert decision["Subject"] == "Votre demande d'adhésion au réseau Réseau informatique"
    body = decision.get_body(preferencelist=("plain",)).get_content()
    assert "acceptée" in body and "Bienvenue !" in body
    assert client.get(f"/n/{network.slug}/").status_code == 200


def test_refusal_tells_the_requester_and_grants_nothing(client, make_user, make_network,
                                                        login, mailbox):
    coordinator, requester = make_user(), make_user()
    network = make_network(coordinators=[coordinator])
    join_request = service.request_to_join(requester, network, "")
    db.session.commit()
    service.decide_join_request(coordinator, join_request, False, "Réservé aux DST")
    db.session.commit()
    assert requester.id not in _member_ids(network)
    assert db.session.get(JoinRequest, join_request.id).status == REQUEST_REFUSED
    [message] = mailbox.to(requester.email)
    assert "n'a pas été acceptée" in message.get_body(preferencelist=("plain",)).get_content()


def test_request_cannot_be_decided_twice_or_by_a_member(make_user, make_network):
    coordinator, member, requester = make_user(), make_user(), make_user()
    network = make_network(coordinators=[coordinator], members=[member])
    join_request = service.request_to_join(requester, network, "")
    db.session.commit()
    with pytest.raises(DomainError):
        service.decide_join_request(member, join_request, True)
    service.decide_join_request(coordinator, join_request, True)
    with pytest.raises(DomainError):
        service.decide_join_request(coordinator, join_request, False)


def test_duplicate_request_and_member_request_are_refused(make_user, make_network):
    coordinator, requester = make_user(), make_user()
    network = make_network(coordinators=[coordinator])
    service.request_to_join(requester, network, "")
    with pytest.raises(DomainError, match="déjà en attente"):
        service.request_to_join(requester, network, "")
    with pytest.raises(DomainError, match="déjà membre"):
        service.request_to_join(coordinator, network, "")


def test_open_network_is_joined_at_once(client, make_user, make_network, login):
    user = make_user()
    network = make_network(is_private=False, coordinators=[make_user()])
    login(client, user)
    assert client.get(f"/n/{network.slug}/").status_code == 200  # readable before joining
    client.post(f"/n/{network.slug}/join")
    assert user.id in _member_ids(network)
    assert db.session.scalar(select(JoinRequest)) is None


def test_member_leaves_but_last_coordinator_cannot(client, make_user, make_network, login):
    coordinator, member = make_user(), make_user()
    network = make_network(coordinators=[coordinator], members=[member])
    login(client, member)
    client.post(f"/n/{network.slug}/leave")
    assert member.id not in _member_ids(network)
    other = client.application.test_client()
    login(other, coordinator)
    response = other.post(f"/n/{network.slug}/leave", follow_redirects=True)
    assert "au moins un coordinateur" in text_of(response)
    assert coordinator.id in _member_ids(network)


def test_coordinator_adds_promotes_and_removes(client, make_user, make_network, login):
    coordinator, newcomer = make_user(), make_user(email="isabelle.roux@coulaines.fr")
    network = make_network(coordinators=[coordinator])
    login(client, coordinator)
    client.post(f"/n/{network.slug}/members", data={"email": "Isabelle.Roux@coulaines.fr",
                                                     "role": "member"})
    assert newcomer.id in _member_ids(network)
    client.post(f"/n/{network.slug}/members/{newcomer.id}/role", data={"role": "coordinator"})
    membership = db.session.scalar(select(Membership).where(Membership.user_id == newcomer.id))
    assert membership.role == ROLE_COORDINATOR
    client.post(f"/n/{network.slug}/members/{newcomer.id}/remove")
    assert newcomer.id not in _member_ids(network)


def test_adding_unknown_address_gives_a_clear_message(client, make_user, make_network, login):
    coordinator = make_user()
    network = make_network(coordinators=[coordinator])
    login(client, coordinator)
    page = text_of(client.post(f"/n/{network.slug}/members", data={
        "email": "inconnu@example.org", "role": "member"}))
    assert "Aucun compte n'existe pour cette adresse" in page


def test_adding_someone_with_a_pending_request_settles_it(make_user, make_network):
    coordinator, requester = make_user(), make_user()
    network = make_network(coordinators=[coordinator])
    join_request = service.request_to_join(requester, network, "")
    service.add_member(coordinator, network, requester)
    db.session.commit()
    assert db.session.get(JoinRequest, join_request.id).status == REQUEST_APPROVED


def test_withdrawn_request_disappears_from_coordinators_list(client, make_user, make_network,
                                                             login):
    coordinator, requester = make_user(), make_user()
    network = make_network(coordinators=[coordinator])
    login(client, requester)
    client.post(f"/n/{network.slug}/join", data={"message": ""})
    assert service.pending_requests(network)
    client.post(f"/n/{network.slug}/join/withdraw")
    assert service.pending_requests(network) == []
    assert db.session.scalar(select(JoinRequest.status)) != REQUEST_PENDING


def test_members_grouped_by_commune(app, make_user, make_network, make_organisation):
    coulaines, allonnes = make_organisation("Coulaines"), make_organisation("Allonnes")
    a = make_user(organisation_id=coulaines.id)
    b = make_user(organisation_id=allonnes.id)
    c = make_user(organisation_id=coulaines.id)
    network = make_network(members=[a, b], coordinators=[c])
    groups = service.members_by_commune(network)
    assert [name for name, _ in groups] == ["Allonnes", "Coulaines"]
    assert {m.user_id for m in groups[1][1]} == {a.id, c.id}


def test_network_home_page_shows_description_coordinators_and_members(
        client, make_user, make_network, make_organisation, login):
    coulaines = make_organisation("Coulaines")
    coordinator = make_user(first_name="Julien", last_name="Lefèvre")
    member = make_user(first_name="Thomas", last_name="Bernard", organisation_id=coulaines.id)
    network = make_network(coordinators=[coordinator], members=[member],
                           description="Atelier **Zimbra** le 12 mai")
    login(client, member)
    page = client.get(f"/n/{network.slug}/").get_data(as_text=True)
    assert "<strong>Zimbra</strong>" in page
    assert "Julien Lefèvre" in page and "Thomas Bernard" in page and "Coulaines" in page


def test_admin_creates_a_network_and_bad_names_are_refused(client, make_user, login):
    admin = make_user(is_admin=True)
    login(client, admin)
    response = client.post("/networks/new", data={"name": "Réseau culture", "summary": "",
                                                  "description": "", "is_private": "y"})
    assert response.headers["Location"] == "/n/reseau-culture/"
    again = client.post("/networks/new", data={"name": "Réseau  culture"})
    assert "Un réseau porte déjà ce nom." in text_of(again)
    empty = client.post("/networks/new", data={"name": "!!!"})
    assert "au moins une lettre" in empty.get_data(as_text=True)
