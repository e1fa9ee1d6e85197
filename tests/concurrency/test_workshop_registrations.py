"""200 members registering at once for a 20-seat workshop: exactly 20 confirmed and 180
waiting, no error (SQLite here, PostgreSQL when the suite runs on it). Each request runs
through its own test client in its own thread, with its own database session."""
import contextlib
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from workspace.extensions import db
from workspace.networks.models import Membership
from workspace.workshops import service
from workspace.workshops.models import CONFIRMED, WAITING, Registration, Workshop


def _workshop(network, coordinator, capacity):
    start = datetime.now(UTC) + timedelta(days=30)
    workshop = service.save_workshop(coordinator, network, None, service.WorkshopData(
        theme="Énergie", title="Chaudières à condensation", description="", starts_at=start,
        ends_at=start + timedelta(hours=3), location="Mulsanne", capacity=capacity,
        seats_per_commune=None, registration_deadline=start - timedelta(days=1)))
    db.session.commit()
    return workshop


def _members(make_user, network, count):
    users = [make_user(email=f"technicien{n}@example.org") for n in range(count)]
    for user in users:
        db.session.add(Membership(network_id=network.id, user_id=user.id))
    db.session.commit()
    return users


def _fire(app, login, users, path, per_user=1):
    clients = []
    for user in users:
        client = app.test_client()
        login(client, user)
        clients.append(client)
    barrier = threading.Barrier(min(len(clients) * per_user, 50))
    statuses, errors = [], []
    lock = threading.Lock()

    def run(client):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=30)
            response = client.post(path)
            with lock:
                statuses.append(response.status_code)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            with lock:
                errors.append(repr(error))

    threads = [threading.Thread(target=run, args=(client,))
               for client in clients for _ in range(per_user)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses, errors


def test_200_at_once_for_20_seats(app, login, make_user, make_network):
    coordinator = make_user()
    network = make_network("Réseau patrimoine", coordinators=[coordinator])
    workshop = _workshop(network, coordinator, 20)
    users = _members(make_user, network, 200)
    statuses, errors = _fire(app, login, users,
                             f"/n/{network.slug}/workshops/{workshop.id}/register")
    assert errors == []
    assert Counter(statuses) == {302: 200}
    db.session.expire_all()
    counts = dict(db.session.execute(select(Registration.status, func.count()).where(
        Registration.workshop_id == workshop.id).group_by(Registration.status)).tuples().all())
    assert counts == {CONFIRMED: 20, WAITING: 180}
    stored = db.session.get(Workshop, workshop.id)
    assert (stored.confirmed_count, stored.waiting_count, stored.seats_left) == (20, 180, 0)


def test_double_click_registers_once(app, login, make_user, make_network):
    coordinator = make_user()
    network = make_network("Réseau informatique", coordinators=[coordinator])
    workshop = _workshop(network, coordinator, 5)
    users = _members(make_user, network, 10)
    statuses, errors = _fire(app, login, users,
                             f"/n/{network.slug}/workshops/{workshop.id}/register", per_user=3)
    assert errors == [] and set(statuses) == {302}
    db.session.expire_all()
    rows = db.session.scalars(select(Registration).where(
        Registration.workshop_id == workshop.id)).all()
    assert len(rows) == 10 and len({row.user_id for row in rows}) == 10
    assert Counter(row.status for row in rows) == {CONFIRMED: 5, WAITING: 5}


def test_cancellations_at_once_promote_exactly_one_each(app, login, make_user, make_network,
                                                        mailbox):
    coordinator = make_user()
    network = make_network("Réseau", coordinators=[coordinator])
    workshop = _workshop(network, coordinator, 10)
    users = _members(make_user, network, 30)
    for user in users:
        service.register(user, workshop.id)
        db.session.commit()
    mailbox.clear()
    leaving = users[:10]  # the 10 confirmed leave at once
    statuses, errors = _fire(app, login, leaving,
                             f"/n/{network.slug}/workshops/{workshop.id}/cancel")
    assert errors == [] and set(statuses) == {302}
    db.session.expire_all()
    confirmed = db.session.scalars(select(Registration.user_id).where(
        Registration.workshop_id == workshop.id, Registration.status == CONFIRMED)).all()
    assert sorted(confirmed) == sorted(user.id for user in users[10:20])  # first come first
    promoted = {message["To"] for message in mailbox.deliver()}
    assert promoted == {user.email for user in users[10:20]}
