"""Forum reading benchmark: throughput and latency of the topic page, the forum index and a
category page on a realistic database, against a bare Flask "hello" served the same way.

Not part of the test suite. Run from the repository root:

    .venv/bin/python bench/forum.py                 # 15 s per page
    .venv/bin/python bench/forum.py --duration 5    # quicker
    .venv/bin/python bench/forum.py --profile 0     # no profile even below the aim

What it does: a temporary data folder gets `flask db upgrade`, then bulk inserts with
SQLAlchemy Core inside the app context (one private network, 50 members, 20 categories, 2,000
topics, 50,000 posts of French Markdown rendered with the app's own `render_markdown`,
counters on topics and categories consistent with the posts). The SQL statements of one
request of each page are counted in-process (test client, `before_cursor_execute`), and the
median in-process time of each page is taken. Then gunicorn serves the workspace
(`wsgi:app`) and, separately, bench/hello_app.py, both with `-w 2 -k sync`; a member signs
in through /login (CSRF token parsed from the form) and `wrk` loads each page with the
session cookie. A third gunicorn serves `floor_app()` below: the same workspace plus one
bench-only page that is nothing but the frame of every signed-in network page (base.html and
the network header, the session, the sign-in and the network access check), to show the
ceiling any page can reach. Results are printed and written to
bench/results/forum-<timestamp>.json (git-ignored). Below the aim (topic page >= 12 % of the
hello route's requests/s), repeated topic-page requests are profiled in-process with
cProfile (ms per request).
gunicorn is stopped and the temporary folder removed at the end, even on error.
"""
from __future__ import annotations

import argparse
import cProfile
import html.parser
import http.client
import json
import os
import platform
import pstats
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import environment, free_port, venv_tool

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
AIM = 0.12  # topic page requests/s over hello requests/s
USERS, CATEGORIES, TOPICS, POSTS = 50, 20, 2_000, 50_000
NETWORK_SLUG = "reseau-informatique"
MEMBER_EMAIL = "membre.banc@lemansmetropole.fr"
PASSWORD = "Banc-d-essai-du-forum-2026"
COOKIE = "tilt_session"

COMMUNES = ["Le Mans", "Allonnes", "Coulaines", "Arnage", "Mulsanne", "Changé", "Ruaudin",
            "Sargé-lès-le-Mans", "Yvré-l'Évêque", "La Milesse", "Champagné", "Rouillon",
            "Aigné", "Trangé", "Saint-Saturnin"]
FIRST = ["Alice", "Bruno", "Chloé", "David", "Élodie", "François", "Gaëlle", "Hugo", "Inès",
         "Julien", "Karine", "Louis", "Manon", "Nicolas", "Océane", "Pierre", "Quentin",
         "Romane", "Sébastien", "Thérèse", "Ulysse", "Valérie", "William", "Yasmine", "Zoé"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
        "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David"]
CATEGORY_NAMES = ["Messagerie Zimbra", "Postes de travail", "Impression", "Téléphonie",
                  "Réseau et Wi-Fi", "Sauvegardes", "Sécurité", "Logiciels métier",
                  "Marchés publics", "Formation des agents", "Écoles numériques",
                  "Vidéoprotection", "Site internet", "RGPD", "Serveurs", "Licences",
                  "Matériel mobile", "Assistance", "Annonces", "Divers"]
SUBJECTS = ["le quota des boîtes partagées", "la migration vers Windows 11",
            "les copieurs Ricoh de la mairie", "le standard téléphonique",
            "le Wi-Fi de la médiathèque", "les sauvegardes Veeam", "l'antivirus",
            "le logiciel d'état civil", "le marché de renouvellement des PC",
            "les tablettes des écoles", "le pare-feu", "la fibre du gymnase",
            "les certificats du site", "le registre des traitements", "les licences Office"]
SENTENCES = [
    "Nous avons rencontré le même souci la semaine dernière sur {s}.",
    "Chez nous, **{s}** fonctionne correctement depuis la mise à jour de mars.",
    "Quelqu'un a-t-il déjà contacté le prestataire au sujet de {s} ?",
    "La procédure est décrite sur le [wiki du réseau](https://wiki.lemansmetropole.fr/dsi).",
    "Attention : la commande `gpupdate /force` ne suffit pas toujours.",
    "Je propose d'en parler à la prochaine réunion du réseau, au pôle numérique.",
    "Le devis reçu pour {s} nous paraît élevé, surtout pour une petite commune.",
    "Merci pour le retour, c'est _très_ utile pour préparer le budget.",
    "Nous avons mutualisé {s} avec la commune voisine : cela marche bien.",
    "Pensez à prévenir les agents avant l'intervention, la coupure dure une heure.",
]
TITLES = ["Problème avec {s}", "Question sur {s}", "Retour d'expérience : {s}",
          "Qui utilise {s} ?", "Panne : {s}", "Conseil pour {s}"]


# --- helpers ---------------------------------------------------------------------------------




# --- the database ----------------------------------------------------------------------------

def french_body(rng: random.Random, handles: list[str]) -> str:
    """A few hundred characters of forum Markdown: paragraphs, sometimes a list, a quote or
    a mention."""
    subject = rng.choice(SUBJECTS)
    parts = [" ".join(rng.choice(SENTENCES).format(s=subject) for _ in range(rng.randint(1, 3)))]
    roll = rng.random()
    if roll < 0.3:
        parts.append("\n".join(f"- {rng.choice(SENTENCES).format(s=subject)}"
                               for _ in range(rng.randint(2, 3))))
    elif roll < 0.45:
        parts.insert(0, "> " + rng.choice(SENTENCES).format(s=subject))
    if rng.random() < 0.15:
        parts.append(f"@{rng.choice(handles)} tu as peut-être la réponse ?")
    parts.append(rng.choice(SENTENCES).format(s=subject))
    return "\n\n".join(parts)


def topic_sizes(rng: random.Random) -> list[int]:
    """Posts per topic: every topic has one, the rest go mostly to a few long discussions."""
    weights = [1 / (rank + 5) ** 0.9 for rank in range(TOPICS)]
    rng.shuffle(weights)
    sizes = [1] * TOPICS
    for index in rng.choices(range(TOPICS), weights=weights, k=POSTS - TOPICS):
        sizes[index] += 1
    return sizes


def build_database(data_dir: Path, seed: int) -> dict:
    """Migrate, then fill the database; return what the measurements need."""
    result = subprocess.run([venv_tool("flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                            env=environment(data_dir), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{result.stdout}\n{result.stderr}")
    os.environ.update(environment(data_dir))
    sys.path.insert(0, str(ROOT))
    from slugify import slugify
    from sqlalchemy import insert
    from werkzeug.security import generate_password_hash

    from workspace import create_app
    from workspace.auth.models import User
    from workspace.communes.models import Organisation
    from workspace.core.markdown import render_markdown
    from workspace.extensions import db
    from workspace.forums.models import Category, Post, Topic, TopicRead
    from workspace.networks.models import Membership, Network

    rng = random.Random(seed)
    app = create_app()
    started = time.perf_counter()
    with app.app_context():
        now = datetime.now(UTC)
        origin = now - timedelta(days=730)
        password_hash = generate_password_hash(PASSWORD, app.config["PASSWORD_HASH_METHOD"])

        def insert_rows(model, rows: list[dict]) -> None:
            for start in range(0, len(rows), 5_000):
                db.session.execute(insert(model.__table__), rows[start:start + 5_000])

        insert_rows(Organisation, [{"id": i + 1, "name": name, "slug": slugify(name)}
                                   for i, name in enumerate(COMMUNES)])
        users, handles = [], []
        for n in range(USERS):
            first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
            handle = slugify(f"{first} {last}", separator=".") + (f".{n}" if n >= 16 else "")
            email = MEMBER_EMAIL if n == 0 else f"{handle}@lemansmetropole.fr"
            users.append({"id": n + 1, "email": email, "handle": handle,
                          "password_hash": password_hash, "first_name": first,
                          "last_name": last, "organisation_id": n % len(COMMUNES) + 1,
                          "created_at": origin})
            handles.append(handle)
        insert_rows(User, users)
        insert_rows(Network, [{"id": 1, "slug": NETWORK_SLUG, "name": "Réseau informatique",
                               "summary": "Les DSI des communes de la métropole",
                               "is_private": True, "created_at": origin}])
        insert_rows(Membership, [{"network_id": 1, "user_id": n + 1,
                                  "role": "coordinator" if n == 1 else "member",
                                  "joined_at": origin} for n in range(USERS)])

        sizes = topic_sizes(rng)
        topics, posts, categories = [], [], {
            c + 1: {"id": c + 1, "network_id": 1, "name": name, "slug": slugify(name),
                    "description": f"Échanges du réseau sur : {name.lower()}.",
                    "position": c + 1, "topic_count": 0, "post_count": 0, "last_post_at": None}
            for c, name in enumerate(CATEGORY_NAMES)}
        post_id = 0
        for topic_id, size in enumerate(sizes, start=1):
            category = categories[rng.choices(range(1, CATEGORIES + 1),
                                              weights=[CATEGORIES - c for c in
                                                       range(CATEGORIES)])[0]]
            moment = origin + timedelta(minutes=rng.randint(0, 700 * 24 * 60))
            author = rng.randint(1, USERS)
            for number in range(1, size + 1):
                post_id += 1
                writer = author if number == 1 else rng.randint(1, USERS)
                body = french_body(rng, handles)
                edited = rng.random() < 0.05
                posts.append({
                    "id": post_id, "topic_id": topic_id, "number": number, "author_id": writer,
                    "body": body, "body_html": str(render_markdown(body)), "created_at": moment,
                    "edited_at": moment + timedelta(minutes=30) if edited else None,
                    "edited_by_id": writer if edited else None,
                    "revision": 2 if edited else 1})
                last_author, last_at = writer, moment
                moment += timedelta(minutes=rng.randint(5, 3 * 24 * 60))
            topics.append({
                "id": topic_id, "network_id": 1, "category_id": category["id"],
                "title": rng.choice(TITLES).format(s=rng.choice(SUBJECTS)).capitalize(),
                "author_id": author, "created_at": posts[-size]["created_at"],
                "post_count": size, "last_number": size, "last_post_at": last_at,
                "last_post_author_id": last_author, "is_pinned": topic_id % 400 == 0})
            category["topic_count"] += 1
            category["post_count"] += size
            category["last_post_at"] = max(filter(None, [category["last_post_at"], last_at]))
        insert_rows(Category, list(categories.values()))
        insert_rows(Topic, topics)
        insert_rows(Post, posts)
        insert_rows(TopicRead, [{"user_id": 1, "topic_id": t["id"],
                                 "last_read_number": rng.randint(1, t["last_number"])}
                                for t in topics if rng.random() < 0.4])
        db.session.commit()
        # the topic page measured: a long topic, page 1 shows 20 posts
        long_ones = [t for t in topics if 40 <= t["post_count"] <= 120] or \
            sorted(topics, key=lambda t: -t["post_count"])[:1]
        topic = min(long_ones, key=lambda t: abs(t["post_count"] - 60))
        biggest = max(categories.values(), key=lambda c: c["topic_count"])
        db.engine.dispose()
    return {"seconds": round(time.perf_counter() - started, 1), "users": USERS,
            "categories": CATEGORIES, "topics": len(topics), "posts": len(posts),
            "mean_body_chars": round(sum(len(p["body"]) for p in posts) / len(posts)),
            "topic_id": topic["id"], "topic_posts": topic["post_count"],
            "category_id": biggest["id"], "category_topics": biggest["topic_count"]}


def pages(info: dict) -> dict[str, str]:
    base = f"/n/{NETWORK_SLUG}/forum"
    return {"topic": f"{base}/t/{info['topic_id']}", "index": f"{base}/",
            "category": f"{base}/c/{info['category_id']}"}


FLOOR_PATH = f"/n/{NETWORK_SLUG}/bench-floor/"
FLOOR_TEMPLATE = ('{% extends "base.html" %}{% block title %}{{ network.name }}{% endblock %}'
                  '{% block content %}{% include "networks/_header.html" %}{% endblock %}')


def floor_app(**overrides):
    """The workspace with one more page, for this benchmark only: the frame every signed-in
    page of a network pays for (session, sign-in, network and access check, base.html and
    the network header) and nothing else. gunicorn loads it as `forum:floor_app()`."""
    sys.path.insert(0, str(ROOT))
    from flask import g, render_template
    from jinja2 import ChoiceLoader, DictLoader

    from workspace import create_app
    from workspace.networks.access import network_scoped_blueprint

    app = create_app(**overrides)
    app.jinja_env.loader = ChoiceLoader([DictLoader({"bench/floor.html": FLOOR_TEMPLATE}),
                                         app.jinja_env.loader])
    blueprint = network_scoped_blueprint("bench_floor", __name__, url_prefix="/bench-floor")
    blueprint.add_url_rule("/", "floor",
                           lambda: render_template("bench/floor.html", network=g.network))
    app.register_blueprint(blueprint)
    return app


# --- in-process measurements ----------------------------------------------------------------

def in_process_client():
    """The floor app: the workspace's own pages, plus the floor page."""
    app = floor_app(WTF_CSRF_ENABLED=False)
    client = app.test_client()
    response = client.post("/login", data={"email": MEMBER_EMAIL, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"in-process sign-in: HTTP {response.status_code}")
    return app, client


def count_statements(urls: dict[str, str]) -> dict[str, dict]:
    """SQL statements of one request of each page (first view and repeated view)."""
    from sqlalchemy import event

    from workspace.extensions import db

    app, client = in_process_client()
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    counts = {}
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        for name, url in urls.items():
            views = []
            for _ in range(2):
                seen.clear()
                status = client.get(url).status_code
                if status != 200:
                    raise RuntimeError(f"GET {url}: HTTP {status}")
                views.append(len(seen))
            counts[name] = {"first_view": views[0], "repeat_view": views[1]}
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return counts


def time_in_process(urls: dict[str, str], requests: int = 50) -> dict[str, float]:
    """Median ms per request of each page through the test client: no network, no
    concurrency, the app's own cost."""
    app, client = in_process_client()
    timings = {}
    for name, url in urls.items():
        for _ in range(5):
            client.get(url)
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        timings[name] = round(statistics.median(samples), 2)
    return timings


def profile_topic(url: str, requests: int, top: int = 30) -> dict:
    """cProfile over `requests` repeated topic-page requests; ms per request."""
    app, client = in_process_client()
    for _ in range(3):
        client.get(url)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        client.get(url)
    profiler.disable()
    wall = (time.perf_counter() - started) / requests * 1000
    rows = []
    for (filename, line, function), (_, calls, own, cumulative, _) in \
            pstats.Stats(profiler).stats.items():
        rows.append({"function": f"{_short(filename)}:{line}({function})",
                     "calls_per_request": round(calls / requests, 1),
                     "cumulative_ms": round(cumulative / requests * 1000, 2),
                     "own_ms": round(own / requests * 1000, 3)})
    by_cumulative = sorted(rows, key=lambda r: -r["cumulative_ms"])
    return {"requests": requests, "ms_per_request_under_profiler": round(wall, 2),
            "top_cumulative": by_cumulative[:top],
            "top_cumulative_app_code": [r for r in by_cumulative if r["function"].startswith(
                ("workspace/", "templates/"))][:top],
            "top_own": sorted(rows, key=lambda r: -r["own_ms"])[:top]}


def _short(filename: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# --- HTTP: sign-in and load -----------------------------------------------------------------

class HiddenInputs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden" and attributes.get("name"):
            self.values[attributes["name"]] = attributes.get("value") or ""


def http_request(port: int, method: str, path: str, body: bytes | None = None,
                 headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def cookies_of(headers) -> dict[str, str]:
    found = {}
    for header in headers.get_all("Set-Cookie") or []:
        jar = SimpleCookie()
        jar.load(header)
        found.update({name: morsel.value for name, morsel in jar.items()})
    return found


def sign_in(port: int) -> str:
    """The session cookie of the member, through the real form (CSRF token included)."""
    status, headers, page = http_request(port, "GET", "/login")
    parser = HiddenInputs()
    parser.feed(page.decode())
    cookies = cookies_of(headers)
    body = urllib.parse.urlencode({"csrf_token": parser.values["csrf_token"],
                                   "email": MEMBER_EMAIL, "password": PASSWORD}).encode()
    status, headers, _ = http_request(port, "POST", "/login", body, {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    cookies.update(cookies_of(headers))
    if status != 302 or COOKIE not in cookies:
        raise RuntimeError(f"sign-in failed: HTTP {status}")
    return f"{COOKIE}={cookies[COOKIE]}"


def start_gunicorn(app_spec: str, port: int, env: dict, log: Path, chdir: Path = ROOT):
    server = subprocess.Popen(
        [venv_tool("gunicorn"), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}",
         "--chdir", str(chdir), "--log-level", "warning", app_spec],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn {app_spec} exited: see {log}")
        try:
            http_request(port, "GET", "/")
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn {app_spec} did not answer within 60 s")


def stop(server) -> None:
    if server is None or server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # gunicorn stops its own workers
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def parse_wrk(output: str) -> dict:
    def duration_ms(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)

    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {"requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
            "requests": int(re.search(r"(\d+) requests in", output)[1]),
            "p50_ms": duration_ms(latency["50"]), "p90_ms": duration_ms(latency["90"]),
            "p99_ms": duration_ms(latency["99"]),
            "non_2xx_3xx": int(errors[1]) if errors else 0,
            "socket_errors": socket_errors[1].strip() if socket_errors else ""}


def run_wrk(port: int, path: str, args, cookie: str | None = None) -> dict:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
               "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = parse_wrk(output)
    if result["non_2xx_3xx"]:
        raise RuntimeError(f"{path}: {result['non_2xx_3xx']} answers were not 2xx/3xx")
    return result


# --- the benchmark --------------------------------------------------------------------------

def measure(data_dir: Path, info: dict, args) -> dict:
    env = environment(data_dir)
    app_port, hello_port = free_port(), free_port()
    servers = []
    try:
        servers.append(start_gunicorn("wsgi:app", app_port, env, data_dir / "gunicorn.log"))
        cookie = sign_in(app_port)
        results = {}
        for name, path in pages(info).items():
            status, _, body = http_request(app_port, "GET", path, headers={"Cookie": cookie})
            if status != 200:
                raise RuntimeError(f"GET {path}: HTTP {status}")
            if name == "topic" and body.count(b'class="card mb-3 post') != 20:
                raise RuntimeError("the topic page does not show 20 posts")
            for _ in range(20):  # warm both workers
                http_request(app_port, "GET", path, headers={"Cookie": cookie})
            results[name] = run_wrk(app_port, path, args, cookie) | {"path": path}
        stop(servers.pop())
        floor_port = free_port()
        servers.append(start_gunicorn("forum:floor_app()", floor_port, env,
                                      data_dir / "gunicorn-floor.log", chdir=ROOT / "bench"))
        cookie = sign_in(floor_port)
        for _ in range(20):
            status, _, _ = http_request(floor_port, "GET", FLOOR_PATH,
                                        headers={"Cookie": cookie})
            if status != 200:
                raise RuntimeError(f"GET {FLOOR_PATH}: HTTP {status}")
        results["floor"] = run_wrk(floor_port, FLOOR_PATH, args, cookie) | {"path": FLOOR_PATH}
        stop(servers.pop())
        servers.append(start_gunicorn("hello_app:app", hello_port, env,
                                      data_dir / "gunicorn-hello.log", chdir=ROOT / "bench"))
        for _ in range(20):
            http_request(hello_port, "GET", "/")
        results["hello"] = run_wrk(hello_port, "/", args) | {"path": "/"}
        return results
    finally:
        for server in servers:
            stop(server)


def print_table(results: dict, statements: dict, in_process: dict, ratio: float) -> None:
    print(f"\n{'page':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'% hello':>9}"
          f"{'SQL 1st':>9}{'SQL next':>10}{'in-proc ms':>12}")
    hello = results["hello"]["requests_per_second"]
    for name in ("topic", "index", "category", "floor", "hello"):
        row, sql = results[name], statements.get(name, {})
        print(f"{name:<10}{row['requests_per_second']:>9.1f}{row['p50_ms']:>9.2f}"
              f"{row['p99_ms']:>9.2f}{row['requests_per_second'] / hello * 100:>8.1f}%"
              f"{sql.get('first_view', '-'):>9}{sql.get('repeat_view', '-'):>10}"
              f"{in_process.get(name, '-'):>12}")
    verdict = "meets" if ratio >= AIM else "is below"
    print(f"\ntopic page / hello = {ratio:.1%}: {verdict} the aim of {AIM:.0%}")


def print_profile(profile: dict) -> None:
    print(f"\nProfile of the topic page ({profile['requests']} requests in-process, "
          f"{profile['ms_per_request_under_profiler']} ms each under cProfile)")
    for title, key in (("application code, by cumulative time", "top_cumulative_app_code"),
                       ("every function, by own time", "top_own")):
        print(f"\n  {title}\n{'cumulative ms':>15}{'own ms':>9}{'calls':>8}  function")
        for row in profile[key][:20]:
            print(f"{row['cumulative_ms']:>15.2f}{row['own_ms']:>9.3f}"
                  f"{row['calls_per_request']:>8}  {row['function']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per page")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", type=int, default=50, metavar="N",
                        help="requests profiled when below the aim (0: none)")
    parser.add_argument("--always-profile", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed (apt install wrk)")
    data_dir = Path(tempfile.mkdtemp(prefix="tilt-bench-forum-"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        print(f"Building the database in {data_dir} ...", flush=True)
        info = build_database(data_dir, args.seed)
        print(f"  {info['posts']} posts in {info['topics']} topics, {info['seconds']} s",
              flush=True)
        statements = count_statements(pages(info) | {"floor": FLOOR_PATH})
        in_process = time_in_process(pages(info) | {"floor": FLOOR_PATH})
        print("Loading with wrk ...", flush=True)
        results = measure(data_dir, info, args)
        ratio = results["topic"]["requests_per_second"] / results["hello"]["requests_per_second"]
        profile = None
        if args.profile and (ratio < AIM or args.always_profile):
            profile = profile_topic(pages(info)["topic"], args.profile)
        report = {
            "benchmark": "forum", "date": datetime.now().isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform(), "load_average": os.getloadavg()},
            "gunicorn": "-w 2 -k sync", "wrk": {"threads": args.threads,
                                                "connections": args.connections,
                                                "duration_s": args.duration},
            "database": info, "results": results, "sql_statements": statements,
            "in_process_ms_per_request": in_process,
            "topic_over_hello": round(ratio, 4), "aim": AIM, "meets_aim": ratio >= AIM,
            "profile": profile}
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"forum-{datetime.now():%Y%m%d-%H%M%S}.json"
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
        print_table(results, statements, in_process, ratio)
        if profile:
            print_profile(profile)
        print(f"\nResults: {out.relative_to(ROOT)}")
        return 0
    finally:
        if args.keep:
            print(f"Data kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
