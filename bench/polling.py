"""What the open pages' polling costs the server (static/js/app.js asks every
PAGE_POLL_SECONDS): the topic's state and the bell's, answered 304 while nothing changed.

Not part of the test suite. Run from the repository root:

    .venv/bin/python bench/polling.py                 # 2,000 requests of each kind
    .venv/bin/python bench/polling.py --requests 500  # quicker

What it does: a temporary data folder with its SQLite database (`flask db upgrade`), one
network of 50 members, a topic of 200 posts, 20 unread notifications for the reader. In
process, with Flask's test client (no HTTP server, so what is measured is the application's
own work: routing, the session, the sign-in statement, the access checks, the queries, the
JSON), a signed-in member asks, one after the other:

- the topic's state with the ETag of the last answer (304, the usual case),
- the topic's state without it (200, after a change),
- the bell's state with its ETag (304; pages other than a topic),
- the topic page itself (what a reload would cost instead), for comparison.

For each: the median and 95th percentile of wall time, the CPU time of the process per
request, SQL statements per request (`before_cursor_execute`), bytes of the response body.
Then what 100 open pages cost, each polling every PAGE_POLL_SECONDS (30 s by default):
100 / 30 = 3.3 requests a second, so CPU milliseconds per second of wall time (a fraction of
one core) and statements per second. Results are printed and written to
bench/results/polling-<timestamp>.json (git-ignored). The temporary folder is removed at the
end, even on error.
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._support import RESULTS, median, percentile

PASSWORD = "mot de passe du banc d'essai"


def build(app) -> dict:
    """The scene, through the services (flush) and one commit."""
    from flask_migrate import upgrade

    from workspace.auth.models import User
    from workspace.auth.service import set_password
    from workspace.extensions import db
    from workspace.forums import service as forums
    from workspace.networks.models import Membership, Network
    from workspace.notifications.service import notify

    upgrade()
    users = []
    for n in range(50):
        user = User(email=f"membre{n}@example.org", first_name=f"Prénom{n}",
                    last_name=f"Nom{n}", handle=f"prenom{n}.nom{n}")
        db.session.add(user)
        users.append(user)
    set_password(users[3], PASSWORD)  # the reader (scrypt is slow: only one)
    db.session.flush()
    network = Network(name="Informatique", slug="informatique", is_private=True)
    db.session.add(network)
    db.session.flush()
    for index, user in enumerate(users):
        db.session.add(Membership(network_id=network.id, user_id=user.id,
                                  role="coordinator" if index == 0 else "member"))
    db.session.flush()
    category = forums.save_category(users[0], network, None, name="Messagerie")
    first = forums.create_topic(users[1], category, "Quota des boîtes partagées",
                                "Quel quota mettez-vous ?")
    topic = first.topic
    for n in range(199):
        forums.reply(users[2 + n % 40], topic, f"Réponse n° {n + 2} : **10 Go** chez nous.")
    notify("mention", [users[3].id], network=network, actor=users[1],
           target_type="forum_post", target_id=first.id)
    for n in range(19):
        notify("forum_post", [users[3].id], network=network, actor=users[4 + n],
               target_type="forum_post", target_id=first.id + n + 1)
    db.session.commit()
    return {"email": users[3].email, "slug": network.slug, "topic_id": topic.id}


def isolated(wsgi_app):
    """Each request in an empty context, as under a server: its own app context, `g` and
    session (not the one pushed here for the statement counter)."""
    import contextvars

    def run(environ, start_response):
        return contextvars.Context().run(wsgi_app, environ, start_response)

    return run


def measure(client, url: str, requests: int, etag: bool) -> dict:
    from sqlalchemy import event

    from workspace.extensions import db

    statements = [0]

    def count(*_args):
        statements[0] += 1

    headers = {}
    if etag:
        headers["If-None-Match"] = client.get(url).headers["ETag"]
    for _ in range(20):  # warm-up
        client.get(url, headers=headers)
    walls, sizes, statuses = [], [], set()
    event.listen(db.engine, "before_cursor_execute", count)
    cpu_before = time.process_time()
    try:
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            walls.append(time.perf_counter() - started)
            sizes.append(len(response.data))
            statuses.add(response.status_code)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    cpu = (time.process_time() - cpu_before) / requests
    return {"url": url, "conditional": etag, "status": sorted(statuses),
            "median_ms": round(median(walls) * 1000, 3),
            "p95_ms": round(percentile(walls, 0.95) * 1000, 3),
            "cpu_ms": round(cpu * 1000, 3), "statements": statements[0] / requests,
            "body_bytes": round(sum(sizes) / len(sizes))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tilt-bench-polling-"))
    try:
        from config import DevelopmentConfig
        from workspace import create_app

        app = create_app(DevelopmentConfig, DATA_DIR=str(folder),
                         SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bench.sqlite'}",
                         WTF_CSRF_ENABLED=False, MAIL_TRANSPORT="file", DEBUG=False)
        with app.app_context():
            scene = build(app)
        context = app.app_context()  # for db.engine (the statement counter)
        context.push()
        app.wsgi_app = isolated(app.wsgi_app)
        client = app.test_client()
        client.post("/login", data={"email": scene["email"], "password": PASSWORD})
        topic = f"/n/{scene['slug']}/forum/t/{scene['topic_id']}"
        every = app.config["PAGE_POLL_SECONDS"]
        rows = [
            ("topic state, unchanged (304)", measure(client, topic + "/state",
                                                     arguments.requests, True)),
            ("topic state, changed (200)", measure(client, topic + "/state",
                                                   arguments.requests, False)),
            ("bell state, unchanged (304)", measure(client, "/notifications/state",
                                                    arguments.requests, True)),
            ("topic page (a reload)", measure(client, topic + "?page=10",
                                              max(arguments.requests // 10, 50), False)),
        ]
        per_second = 100 / every
        print(f"{'':32} {'status':>7} {'median':>8} {'p95':>8} {'CPU/req':>8} "
              f"{'SQL/req':>7} {'bytes':>6}  100 pages: CPU ms/s  SQL/s")
        for name, row in rows:
            print(f"{name:32} {row['status'][0]:>7} {row['median_ms']:>6.2f}ms "
                  f"{row['p95_ms']:>6.2f}ms {row['cpu_ms']:>6.2f}ms {row['statements']:>7.1f} "
                  f"{row['body_bytes']:>6}  {row['cpu_ms'] * per_second:>12.1f} "
                  f"{row['statements'] * per_second:>6.1f}")
            row["per_100_pages"] = {"requests_per_second": round(per_second, 2),
                                    "cpu_ms_per_second": round(row["cpu_ms"] * per_second, 2),
                                    "statements_per_second": round(
                                        row["statements"] * per_second, 1)}
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        (RESULTS / f"polling-{stamp}.json").write_text(json.dumps({
            "python": platform.python_version(), "machine": platform.machine(),
            "poll_seconds": every, "requests": arguments.requests,
            "rows": dict(rows)}, indent=2))
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
