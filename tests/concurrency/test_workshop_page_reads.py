"""The coordinator reads the workshop page, its attendance sheet and their exports over and
over while 200 members register at once (SQLite here, PostgreSQL when the suite runs on it).
Every page is one consistent picture: never a 500, every waiting person shown has a position,
the positions run 1..N without a gap and the counts match the lists shown."""
import re
import threading

from tests.concurrency.test_workshop_registrations import _fire, _members, _workshop
from tests.conftest import text_of
from workspace.communes.models import Organisation
from workspace.extensions import db

WAITING_ITEM = re.compile(r"<li>([^<]+) <span class=\"text-body-secondary\">\(position (\d+)\)")
COUNTS = re.compile(r"(\d+) inscriptions? confirmées? · (\d+) personnes? en liste d'attente")


def _section(page: str, title: str) -> str:
    start = page.index(title)
    return page[start:page.index("</div>", start)]


def _check_detail(page: str) -> list[str]:
    """What is inconsistent on one rendering of the coordinator's workshop page."""
    problems = []
    confirmed_shown, waiting_shown = (int(n) for n in COUNTS.search(page).groups())
    waiting_part = _section(page, "Liste d'attente, par commune")
    positions = sorted(int(position) for _name, position in WAITING_ITEM.findall(waiting_part))
    if waiting_part.count("<li>") != len(positions):
        problems.append("a waiting person without a position")
    if positions != list(range(1, waiting_shown + 1)):
        problems.append(f"positions {positions[:5]}… for {waiting_shown} waiting")
    confirmed_part = _section(page, "Inscriptions confirmées, par commune")
    if confirmed_part.count("<li>") != confirmed_shown:
        problems.append(f"{confirmed_part.count('<li>')} confirmed listed, {confirmed_shown} said")
    return problems


def _communes(count: int) -> list[Organisation]:
    communes = [Organisation(name=f"Commune {n}", slug=f"commune-{n}") for n in range(count)]
    db.session.add_all(communes)
    db.session.commit()
    return communes


def test_pages_stay_consistent_while_200_register(app, login, make_user, make_network):
    coordinator = make_user()
    network = make_network("Réseau voirie", coordinators=[coordinator])
    workshop = _workshop(network, coordinator, 20)
    users = _members(make_user, network, 200)
    for index, (user, commune) in enumerate(zip(users, _communes(7) * 40, strict=False)):
        user.organisation_id = commune.id if index % 9 else None  # some without a commune
    db.session.commit()
    base = f"/n/{network.slug}/workshops/{workshop.id}"
    reader = app.test_client()
    login(reader, coordinator)
    done, reads, problems = threading.Event(), [], []
    paths = [base, base, f"{base}/attendance",
             f"/n/{network.slug}/exports/workshops/{workshop.id}/sheet.ods"]

    def read_until_done():
        try:
            for count in range(2000):  # bounded; stops as soon as the registrations end
                if done.is_set() and count > len(paths):
                    break
                path = paths[count % len(paths)]
                response = reader.get(path)
                reads.append((path, response.status_code))
                if path == base and response.status_code == 200:
                    problems.extend(_check_detail(text_of(response)))
        except Exception as error:  # noqa: BLE001 - asserted below
            problems.append(repr(error))

    thread = threading.Thread(target=read_until_done)
    thread.start()
    statuses, errors = _fire(app, login, users, f"{base}/register")
    done.set()
    thread.join(timeout=300)
    assert errors == [] and set(statuses) == {302}
    assert problems == []
    assert {status for _path, status in reads} == {200}
    assert sum(1 for path, _status in reads if path == base) >= 2
    final = text_of(reader.get(base))
    assert _check_detail(final) == []
    assert "20 inscriptions confirmées · 180 personnes en liste d'attente" in final
