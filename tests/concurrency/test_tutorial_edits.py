"""Twelve members save an edit of the same tutorial at once, all started from the same
version: exactly one is saved, every other one is told (the form comes back with the saved
version), nothing is lost silently and nothing fails (SQLite here, PostgreSQL when the
suite runs on it)."""
import threading
from collections import Counter

from workspace.extensions import db
from workspace.networks.models import Membership
from workspace.tutorials import service
from workspace.tutorials.models import Tutorial


def test_concurrent_saves_from_the_same_version(app, login, make_user, make_network):
    author = make_user()
    network = make_network("Réseau informatique", members=[author])
    editors = [make_user(email=f"correspondant{n}@example.org") for n in range(12)]
    for user in editors:
        db.session.add(Membership(network_id=network.id, user_id=user.id))
    tutorial = service.create_tutorial(author, network, "Filtres dans Zimbra", "Texte initial.")
    db.session.commit()
    clients = []
    for user in editors:
        client = app.test_client()
        login(client, user)
        clients.append(client)
    path = f"/n/{network.slug}/tutoriels/{tutorial.id}/edit"
    barrier = threading.Barrier(len(clients))
    results, errors, lock = [], [], threading.Lock()

    def save(number, client):
        try:
            barrier.wait(timeout=30)
            response = client.post(path, data={
                "title": "Filtres dans Zimbra", "body": f"Texte de l'éditeur {number}.",
                "version": "1"})
            with lock:
                results.append((number, response.status_code,
                                response.get_data(as_text=True)))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            with lock:
                errors.append(repr(error))

    threads = [threading.Thread(target=save, args=(n, c)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Counter(status for _n, status, _page in results) == {302: 1, 200: 11}
    [winner] = [n for n, status, _page in results if status == 302]
    for number, status, page in results:
        if status == 200:
            assert "modifié par quelqu&#39;un d&#39;autre" in page or \
                "modifié par quelqu'un d'autre" in page
            assert f"Texte de l&#39;éditeur {number}." in page  # kept in the form
    db.session.expire_all()
    stored = db.session.get(Tutorial, tutorial.id)
    assert stored.body == f"Texte de l'éditeur {winner}." and stored.version == 2
    assert [r.body for r in service.history(stored)] == [stored.body, "Texte initial."]
