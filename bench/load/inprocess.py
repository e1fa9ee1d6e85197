"""SQL statements and CPU time per request of each page kind of the load test, measured
in-process: the application's own work, without HTTP, gunicorn or concurrency.

The same kinds of address as the simulated members use (the first of each in the large
network), through Flask's test client with a `before_cursor_execute` listener on the
engine, as bench/forum.py does. A page is requested twice for its statements (first view,
repeated view), then REPEATS more times for its CPU time (`time.process_time`, median); a
form once. CSRF is off here (the token is not what is measured); the registration goes to
the plan's second workshop, so that the peak's count stays exact.
"""
from __future__ import annotations

import statistics
import time
from urllib.parse import quote

BASE_URL = "https://localhost"  # the session cookie is Secure: an https test client
REPEATS = 5


def sample_requests(plan: dict) -> list[tuple[str, str, str, dict | None]]:
    """(kind, method, path, form) for one request of each kind."""
    slug = plan["probe"]["network"]
    net = plan["networks"][slug]
    long_topic, short_topic = net["long_topics"][0], net["short_topics"][1]
    meeting = f"/n/{slug}/meetings/{net['meetings'][0]}"
    upload = f"/n/{slug}/documents/upload?folder={net['folders']['notes']}"
    workshop = f"/n/{slug}/workshops/{plan['control_workshop']['id']}"
    queries = plan["queries"]
    return [
        ("dashboard", "GET", "/", None),
        ("forum index", "GET", f"/n/{slug}/forum/", None),
        ("topic (long)", "GET", f"/n/{slug}/forum/t/{long_topic['id']}?page=5", None),
        ("topic (short)", "GET", f"/n/{slug}/forum/t/{short_topic['id']}", None),
        *[(f"search ({kind})", "GET", f"/search?q={quote(queries[kind][0])}", None)
          for kind in ("words", "phrase", "typo")],
        ("library", "GET", f"/n/{slug}/documents/", None),
        ("folder", "GET", f"/n/{slug}/documents/folders/{net['folders']['pdfs']}", None),
        ("document", "GET", f"/n/{slug}/documents/{net['pdfs'][0]}", None),
        ("preview (PDF)", "GET", f"/n/{slug}/documents/{net['pdfs'][0]}/preview", None),
        ("download (small)", "GET", f"/n/{slug}/documents/{net['notes'][0]}/download", None),
        ("download (5 MB)", "GET", f"/n/{slug}/documents/{net['large'][0]}/download", None),
        ("meeting", "GET", meeting, None),
        ("meeting answer", "POST", f"{meeting}/rsvp", {"answer": "yes"}),
        ("reply", "POST", f"/n/{slug}/forum/t/{short_topic['id']}/reply",
         {"body": plan["replies"][0]}),
        ("upload form", "GET", upload, None),
        ("upload", "POST", upload, "file"),
        ("workshop", "GET", workshop, None),
        ("register", "POST", f"{workshop}/register", {}),
    ]


def measure(plan: dict) -> dict[str, dict]:
    """{kind: {"status", "first_view", "repeat_view", "cpu_ms"}} (forms: "statements")."""
    import io

    from sqlalchemy import event

    from workspace import create_app
    from workspace.extensions import db

    app = create_app(WTF_CSRF_ENABLED=False)
    client = app.test_client()
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    def run(method: str, path: str, form) -> tuple[int, float]:
        """The status and the CPU ms of one request; its statements in `seen`."""
        seen.clear()
        if form == "file":
            form = {"files": (io.BytesIO(b"# Note\n\nComptage des requetes.\n"),
                              "comptage.md")}
        started = time.process_time()
        response = client.open(path, method=method, data=form, base_url=BASE_URL)
        return response.status_code, (time.process_time() - started) * 1000

    event.listen(engine, "before_cursor_execute", record)
    try:
        status, cpu = run("POST", "/login", {"email": plan["probe"]["email"],
                                             "password": plan["password"]})
        counts = {"sign-in": {"status": status, "statements": len(seen),
                              "cpu_ms": round(cpu, 2)}}
        for kind, method, path, form in sample_requests(plan):
            if method == "GET":
                status, _ = run(method, path, None)
                first = len(seen)
                run(method, path, None)
                counts[kind] = {"status": status, "first_view": first, "repeat_view": len(seen),
                                "cpu_ms": statistics.median(run(method, path, None)[1]
                                                            for _ in range(REPEATS))}
            else:
                status, cpu = run(method, path, form)
                counts[kind] = {"status": status, "statements": len(seen), "cpu_ms": cpu}
            counts[kind]["cpu_ms"] = round(counts[kind]["cpu_ms"], 2)
    finally:
        event.remove(engine, "before_cursor_execute", record)
        with app.app_context():
            db.engine.dispose()
    return counts
