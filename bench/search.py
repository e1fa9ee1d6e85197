"""Search benchmark: the workspace's Whoosh search against SQLite FTS5 (the C reference) on the
same French corpus, in the same run.

Not part of the test suite. Run from the repository root:

    .venv/bin/python bench/search.py                   # 100,000 items (about 15 minutes)
    .venv/bin/python bench/search.py --items 10000     # quicker

What it does:

1. Corpus. A temporary data folder gets `flask db upgrade`; then SQLAlchemy Core bulk inserts
   6 networks (the benchmark's user is a member of 3, so sees half), 60 people of 15
   communes, and ITEMS findable items of a few hundred words (uniformly 150 to 400, about 270
   on average): 60 % forum posts (Markdown, in topics of one to eight posts), 15 % meeting
   minutes, 25 % documents with their extracted text (blob, version and text rows as an
   upload and an extraction leave them); posts and minutes keep their rendered HTML as the
   app saves it. The words come from a fixed generator (seeded):
   French sentences about the networks' subjects, with a Zipf-distributed vocabulary of
   common words, domain terms and a long tail of rarer words, as real texts have.
2. Rebuild. `workspace.search.indexer.rebuild(processes=N)` from the database, timed:
   seconds and items per second.
3. Queries. QUERIES below (written before measuring, never tuned to the results): words,
   several words, phrases, prefixes, rare words, misspellings. Each runs through
   `workspace.search.query.search()` as the page does: network filter, facet counts, top
   10, highlighted excerpts, each hit re-checked against the database. One warm-up pass,
   then ROUNDS passes; p50 and p95 over every timed execution. Each query is timed cold
   (the postings the search keeps per index version are dropped first); building the
   facets' sets, once per index version, is timed apart.
4. FTS5. The same items go into an FTS5 table (`unicode61 remove_diacritics 2`, title
   weighted 2) in a separate SQLite file; the same queries (same words, phrases and
   prefixes) run with the same network filter: the total, counts per kind and network, the
   top 10 by bm25 with `snippet()`. Reported as a ratio (Whoosh / FTS5) of p50 and p95.
5. Freshness. A job worker thread runs (the real `work()` loop and its poll interval); the
   main thread creates a post through the forum service, commits, then searches for its
   unique word every 10 ms until found: seconds from commit to found, SAMPLES times.

Results are printed and written to bench/results/search-<timestamp>.json (git-ignored).
The temporary folder is removed at the end, even on error (`--keep` keeps it).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import RESULTS, ROOT, environment, median, percentile, venv_tool

NETWORKS, VISIBLE_NETWORKS, USERS = 6, 3, 60
ROUNDS, SAMPLES = 3, 20
SHARE = {"post": 0.60, "minutes": 0.15, "document": 0.25}

# --- written down before measuring: what members of the networks look for ---------------------
QUERIES = [
    "chaudière", "chaudiere condensation", "chaudières à condensation", "bâtiment",
    "batiments communaux", "énergétique", "audit énergétique", "isolation des combles",
    "zimbra", "quota boîtes partagées", "messagerie", "alfresco", "gestion électronique",
    "sauvegarde", "sauvegarde serveurs rotation", "\"sauvegarde des serveurs\"", "serveur*",
    "sauvegard*", "pare-feu", "antivirus", "licences office", "marché public",
    "\"marché public\"", "groupement de commandes", "copieurs", "copieur ricoh",
    "téléphonie", "standard téléphonique", "fibre gymnase", "wi-fi médiathèque",
    "rgpd registre", "registre des traitements", "délégué à la protection des données",
    "vidéoprotection", "écoles numériques tablettes", "tablette*", "windows 11 migration",
    "maîtrise d'ouvrage", "assistance à maîtrise d'ouvrage", "amo", "accessibilité",
    "chauffage école", "ventilation", "toiture", "désamiantage", "éclairage led",
    "relamping", "budget 2017", "schéma de mutualisation", "compte rendu réunion",
    "ordre du jour", "formation des agents", "chaudiere gymnase devis",
    "condensasion", "batimant", "sauvgarde", "messagrie zimbra",
]
assert len(QUERIES) >= 50

COMMUNES = ["Le Mans", "Allonnes", "Arnage", "La Chapelle-Saint-Aubin", "Coulaines",
            "Rouillon", "Sargé-lès-le-Mans", "Yvré-l'Évêque", "Mulsanne", "Aigné",
            "Champagné", "La Milesse", "Ruaudin", "Saint-Saturnin", "Trangé"]
FIRST = ["Alice", "Bruno", "Chloé", "David", "Élodie", "François", "Gaëlle", "Hugo", "Inès",
         "Julien", "Karine", "Louis", "Manon", "Nicolas", "Océane", "Pierre", "Romane"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
        "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia"]
FUNCTION_WORDS = ["le", "la", "les", "un", "une", "des", "du", "de", "d'", "à", "au", "aux", "en",
                  "dans", "sur", "sous", "pour", "par", "avec", "sans", "et", "ou", "mais", "donc",
                  "car", "ni", "que", "qui", "quoi", "dont", "où", "ce", "cet", "cette", "ces",
                  "son", "sa", "ses", "leur", "leurs", "notre", "nos", "votre", "vos", "il", "elle",
                  "ils", "elles", "nous", "vous", "on", "se", "ne", "pas", "plus", "très", "bien",
                  "aussi", "encore", "déjà", "toujours", "est", "sont", "a", "ont", "été", "être",
                  "avoir", "fait", "faire", "peut", "doit", "va", "vont", "comme", "si", "tout",
                  "tous", "toute", "toutes", "chaque", "même", "autre", "autres", "après", "avant",
                  "depuis", "pendant", "lors", "entre", "vers", "chez"]
DOMAIN_WORDS = ["chaudière", "chaudières", "condensation", "bâtiment", "bâtiments", "communaux",
                "énergétique", "énergie", "audit", "isolation", "combles", "toiture", "ventilation",
                "chauffage", "éclairage", "LED", "relamping", "désamiantage", "accessibilité",
                "travaux", "chantier", "devis", "entreprise", "marché", "public", "groupement",
                "commandes", "consultation", "prestataire", "contrat", "maintenance", "budget",
                "investissement", "subvention", "mutualisation", "schéma", "réseau",
                "correspondant", "informatique", "messagerie", "Zimbra", "Alfresco", "quota",
                "boîtes", "partagées", "gestion", "électronique", "documents", "serveur",
                "serveurs", "sauvegarde", "sauvegardes", "rotation", "bandes", "disque",
                "réplication", "pare-feu", "antivirus", "licences", "Office", "Windows",
                "migration", "postes", "travail", "copieurs", "Ricoh", "imprimantes", "téléphonie",
                "standard", "fibre", "gymnase", "médiathèque", "Wi-Fi", "écoles", "numériques",
                "tablettes", "vidéoprotection", "caméras", "RGPD", "registre", "traitements",
                "délégué", "protection", "données", "DPO", "sécurité", "mots", "passe", "formation",
                "agents", "atelier", "réunion", "ordre", "jour", "compte", "rendu", "décision",
                "action", "échéance", "commune", "mairie", "services", "techniques", "directeur",
                "patrimoine", "maîtrise", "ouvrage", "assistance", "AMO", "cellule", "mission",
                "étude", "opportunité", "faisabilité", "calendrier", "semestre", "objectif",
                "priorité", "inventaire", "équipements", "logiciels", "version", "mise", "jour",
                "intervention", "panne", "incident", "ticket", "utilisateur", "agent", "élu",
                "conseil", "municipal", "délibération", "métropole"]
SENTENCE_SHAPES = [
    "{a} {b} {c} {d} {e} {f} {g}.", "{a} {b} {c} {d} {e} {f} {g} {h} {i} {j}.",
    "{a} {b} {c}, {d} {e} {f} {g} {h}.", "{a} {b} {c} {d} : {e} {f} {g} {h} {i}.",
    "{a} {b} {c} {d} {e} ?",
]
SYLLABLES = ["ba", "be", "bi", "bo", "bu", "ca", "ce", "ci", "co", "cu", "da", "de", "di", "do",
             "du", "fa", "fe", "fi", "fo", "fu", "ga", "ge", "gi", "go", "gu", "la", "le", "li",
             "lo", "lu", "ma", "me", "mi", "mo", "mu", "na", "ne", "ni", "no", "nu", "pa", "pe",
             "pi", "po", "pu", "ra", "re", "ri", "ro", "ru", "sa", "se", "si", "so", "su", "ta",
             "te", "ti", "to", "tu", "va", "ve", "vi", "vo", "vu", "tion", "ment", "eur", "ique",
             "age", "elle", "ette", "ier", "ure"]


class Words:
    """A Zipf-like vocabulary: function words, domain terms, then a long tail of rarer made-up
    words (names of products, places, technical terms) so that the index has a realistic
    number of distinct terms."""

    def __init__(self, rng: random.Random, tail: int = 40_000):
        made = set()
        while len(made) < tail:
            made.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
        self.vocabulary = FUNCTION_WORDS + DOMAIN_WORDS + sorted(made)
        weights = [1 / (rank + 2) ** 1.05 for rank in range(len(self.vocabulary))]
        # function words stay on top; shuffle the domain terms into the head of the tail
        self.cumulative = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.rng = rng

    def take(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count)

    def text(self, words: int) -> str:
        out, written = [], 0
        while written < words:
            shape = self.rng.choice(SENTENCE_SHAPES)
            slots = re.findall(r"\{(\w)\}", shape)
            chosen = self.take(len(slots))
            chosen[0] = chosen[0].capitalize()
            out.append(shape.format(**dict(zip(slots, chosen, strict=True))))
            written += len(slots)
        return " ".join(out)

    def title(self) -> str:
        return " ".join(self.rng.sample(DOMAIN_WORDS, 3)).capitalize()


# --- the database ------------------------------------------------------------------------------

def build_database(data_dir: Path, items: int, seed: int) -> dict:
    result = subprocess.run([venv_tool("flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                            env=environment(data_dir), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{result.stdout}\n{result.stderr}")
    os.environ.update(environment(data_dir))
    sys.path.insert(0, str(ROOT))
    from slugify import slugify
    from sqlalchemy import insert

    from workspace import create_app
    from workspace.auth.models import User
    from workspace.communes.models import Organisation
    from workspace.core.markdown import render_markdown
    from workspace.documents.models import Blob, Document, DocumentText, DocumentVersion
    from workspace.extensions import db
    from workspace.forums.models import Category, Post, Topic
    from workspace.meetings.models import Meeting
    from workspace.networks.models import Membership, Network

    rng = random.Random(seed)
    words = Words(rng)
    app = create_app()
    started = time.perf_counter()
    corpus = []  # (kind, id, network_id, title, text) for FTS5
    with app.app_context():
        origin = datetime.now(UTC) - timedelta(days=3 * 365)

        def insert_rows(model, rows: list[dict]) -> None:
            # the index is rebuilt from the database next: no index job per inserted row
            # (the outbox would queue 100,000, and the search page would re-check them all)
            for start in range(0, len(rows), 5_000):
                db.session.execute(insert(model.__table__).execution_options(
                    index_changes=False), rows[start:start + 5_000])

        def moment() -> datetime:
            return origin + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))

        def length() -> int:
            return rng.randint(150, 400)

        insert_rows(Organisation, [{"id": i + 1, "name": name, "slug": slugify(name)}
                                   for i, name in enumerate(COMMUNES)])
        insert_rows(User, [{"id": n + 1, "email": f"personne{n}@lemansmetropole.fr",
                            "handle": f"personne.{n}", "password_hash": "!",
                            "first_name": FIRST[n % len(FIRST)],
                            "last_name": LAST[(n * 7) % len(LAST)],
                            "organisation_id": n % len(COMMUNES) + 1, "created_at": origin}
                           for n in range(USERS)])
        insert_rows(Network, [{"id": n + 1, "slug": f"reseau-{n + 1}",
                               "name": f"Réseau {n + 1}", "summary": "", "is_private": True,
                               "created_at": origin} for n in range(NETWORKS)])
        # user 1 is the benchmark's user: a member of the first VISIBLE_NETWORKS networks
        insert_rows(Membership, [{"network_id": n + 1, "user_id": u + 1, "role": "member",
                                  "joined_at": origin}
                                 for n in range(NETWORKS) for u in range(USERS)
                                 if (u == 0 and n < VISIBLE_NETWORKS) or
                                 (u > 0 and u % NETWORKS == n)])
        insert_rows(Category, [{"id": n + 1, "network_id": n + 1, "name": "Discussions",
                                "slug": "discussions", "position": 1, "topic_count": 0,
                                "post_count": 0} for n in range(NETWORKS)])
        counts = {kind: round(items * share) for kind, share in SHARE.items()}
        counts["post"] = items - counts["minutes"] - counts["document"]
        topics, posts = [], []
        while len(posts) < counts["post"]:
            network = rng.randint(1, NETWORKS)
            topic_id = len(topics) + 1
            title = words.title()
            when = moment()
            size = min(rng.randint(1, 8), counts["post"] - len(posts))
            for number in range(1, size + 1):
                body = words.text(length())
                posts.append({"id": len(posts) + 1, "topic_id": topic_id, "number": number,
                              "author_id": rng.randint(1, USERS), "body": body,
                              "body_html": str(render_markdown(body)), "created_at": when})
                corpus.append(("post", len(posts), network, title, body))
            topics.append({"id": topic_id, "network_id": network, "category_id": network,
                           "title": title, "author_id": posts[-size]["author_id"],
                           "created_at": when, "post_count": size, "last_number": size,
                           "last_post_at": when})
        insert_rows(Topic, topics)
        insert_rows(Post, posts)
        meetings = []
        for n in range(counts["minutes"]):
            network, when, minutes = rng.randint(1, NETWORKS), moment(), words.text(length())
            title = "Réunion : " + words.title().lower()
            meetings.append({"id": n + 1, "network_id": network, "title": title,
                             "description": "", "starts_at": when,
                             "ends_at": when + timedelta(hours=2), "organizer_id": 1 + n % USERS,
                             "minutes": minutes,
                             "minutes_html": str(render_markdown(minutes)), "created_at": when})
            corpus.append(("meeting", n + 1, network, title, minutes))
        insert_rows(Meeting, meetings)
        blobs, documents, versions, texts = [], [], [], []
        for n in range(counts["document"]):
            network, when, text = rng.randint(1, NETWORKS), moment(), words.text(length())
            sha = f"{n:064x}"
            title = words.title()
            blobs.append({"sha256": sha, "size": len(text), "mime": "application/pdf",
                          "created_at": when})
            documents.append({"id": n + 1, "network_id": network, "title": title,
                              "description": "", "created_at": when, "updated_at": when,
                              "created_by_id": 1 + n % USERS})
            versions.append({"id": n + 1, "document_id": n + 1, "number": 1,
                             "blob_sha256": sha, "filename": f"{slugify(title)}.pdf",
                             "mime": "application/pdf", "size": len(text), "comment": "",
                             "uploaded_at": when, "uploaded_by_id": 1 + n % USERS,
                             "extraction_status": "done", "extraction_reason": "",
                             "extracted_at": when})
            texts.append({"version_id": n + 1, "text": text, "page_count": 1})
            corpus.append(("document", n + 1, network, title, text))
        insert_rows(Blob, blobs)
        insert_rows(Document, documents)
        insert_rows(DocumentVersion, versions)
        insert_rows(DocumentText, texts)
        db.session.execute(db.update(Document).values(current_version_id=Document.id))
        db.session.commit()
        db.engine.dispose()
    words_total = sum(len(text.split()) for *_, text in corpus)
    return {"seconds": round(time.perf_counter() - started, 1), "items": len(corpus),
            "by_kind": {kind: sum(1 for c in corpus if c[0] == kind)
                        for kind in ("post", "meeting", "document")},
            "mean_words": round(words_total / len(corpus)), "corpus": corpus}


# --- FTS5, the reference -----------------------------------------------------------------------

def build_fts(path: Path, corpus: list) -> float:
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    connection.execute("CREATE VIRTUAL TABLE items USING fts5(title, body, kind UNINDEXED, "
                       "network_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')")
    connection.executemany("INSERT INTO items (title, body, kind, network_id) VALUES "
                           "(?, ?, ?, ?)",
                           ((title, text, kind, network) for kind, _, network, title, text
                            in corpus))
    connection.execute("INSERT INTO items(items) VALUES ('optimize')")
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def fts_query(text: str) -> str:
    """The same words, phrases and prefixes in FTS5's syntax."""
    parts = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', text):
        if phrase:
            tokens = re.findall(r"\w+", phrase)
            if tokens:
                parts.append('"' + " ".join(tokens) + '"')
        else:
            star = word.endswith("*")
            for token in re.findall(r"\w+", word):
                parts.append(f'"{token}"' + ("*" if star else ""))
    return " AND ".join(parts)


def run_fts(connection, text: str, visible: list[int]) -> int:
    match = fts_query(text)
    marks = ",".join("?" * len(visible))
    facets = connection.execute(
        f"SELECT kind, network_id, count(*) FROM items WHERE items MATCH ? AND network_id IN "
        f"({marks}) GROUP BY kind, network_id", [match, *visible]).fetchall()
    top = connection.execute(
        f"SELECT rowid, title, snippet(items, 1, '<mark>', '</mark>', ' … ', 24) FROM items "
        f"WHERE items MATCH ? AND network_id IN ({marks}) ORDER BY bm25(items, 2.0, 1.0) "
        f"LIMIT 10", [match, *visible]).fetchall()
    return sum(count for *_, count in facets) if top or facets else 0


# --- measurements ------------------------------------------------------------------------------

def time_queries(run, rounds: int) -> tuple[list[float], dict[str, int]]:
    totals = {}
    for query in QUERIES:  # warm-up: caches, searcher opened
        totals[query] = run(query)
    timings = []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            run(query)
            timings.append(time.perf_counter() - started)
    return timings, totals


def lagging_queries(cold, waiting: int, rounds: int) -> list[float]:
    """The same queries with `waiting` objects (taken at random among those indexed) whose
    changes are logged after this host's cursor and not applied: the worker stopped, or a
    bulk import. No worker runs meanwhile; the rows are removed afterwards."""
    from sqlalchemy import delete, insert

    from workspace.extensions import db
    from workspace.search.changes import SearchChange, rows
    from workspace.search.query import searcher

    stored = [(fields["kind"], int(fields["object_id"]))
              for fields in searcher().all_stored_fields()]
    chosen = random.Random(1).sample(stored, min(waiting, len(stored)))
    ids = db.session.scalars(insert(SearchChange).returning(SearchChange.id),
                             rows(chosen)).all()
    db.session.commit()
    print(f"Whoosh queries with {len(chosen):,} objects waiting for the worker ...",
          flush=True)
    try:
        return time_queries(cold, rounds)[0]
    finally:
        for start in range(0, len(ids), 500):
            db.session.execute(delete(SearchChange).where(
                SearchChange.id.in_(ids[start:start + 500])))
        db.session.commit()


def freshness(app, samples: int) -> list[float]:
    """Seconds from a post's commit until a search finds it, the real worker running."""
    from sqlalchemy import update

    from workspace.auth.models import User
    from workspace.core.jobs import DONE, PENDING, Job, enqueue_due_periodic, work
    from workspace.extensions import db
    from workspace.forums import service as forums
    from workspace.forums.models import Category
    from workspace.search.query import search

    with app.app_context():
        # A freshly built database has never run the daily maintenance: the worker would
        # start with tonight's jobs in front of the posts. Measure the day instead: the
        # day's periodic tasks are recorded as done.
        enqueue_due_periodic()
        db.session.execute(update(Job).where(Job.status == PENDING).values(status=DONE))
        db.session.commit()
    stop = threading.Event()
    worker = threading.Thread(target=work, args=(app, stop), daemon=True)
    worker.start()
    delays = []
    try:
        with app.app_context():
            user = db.session.get(User, 1)
            category = db.session.get(Category, 1)
            for sample in range(samples):
                word = f"fraicheur{sample}x{random.randrange(10**9)}"
                forums.create_topic(user, category, f"Mesure {sample}",
                                    f"Ce message contient le mot {word}.")
                db.session.commit()
                committed = time.perf_counter()
                while search(user, word).total == 0:
                    if time.perf_counter() - committed > 30:
                        raise RuntimeError("a post was not found within 30 s")
                    time.sleep(0.01)
                delays.append(time.perf_counter() - committed)
                db.session.remove()
                user = db.session.get(User, 1)
                category = db.session.get(Category, 1)
                time.sleep(random.uniform(0.1, 0.6))  # commits arrive at random moments
    finally:
        stop.set()
        worker.join(timeout=30)
    return delays


def summary(values: list[float]) -> dict:
    return {"p50_ms": round(median(values) * 1000, 1),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "max_ms": round(max(values) * 1000, 1), "count": len(values)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=2, help="for the rebuild")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--samples", type=int, default=SAMPLES)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--lagging", type=int, default=5000, metavar="N",
                        help="then time the queries again with N objects waiting for the "
                             "worker (a stopped worker, a bulk import): the lag re-check")
    parser.add_argument("--reuse", type=Path, metavar="DIR",
                        help="the folder of an earlier run kept with --keep: its database, "
                             "index and FTS5 table are used as they are (queries and "
                             "freshness only, no build nor rebuild)")
    args = parser.parse_args()
    if args.reuse:
        args.keep = True
        data_dir = args.reuse
        os.environ.update(environment(data_dir))
        sys.path.insert(0, str(ROOT))
        built, corpus = {"reused": str(data_dir)}, None
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="tilt-bench-search-"))
    try:
        if not args.reuse:
            print(f"Building {args.items:,} items in {data_dir} ...", flush=True)
            built = build_database(data_dir, args.items, args.seed)
            corpus = built.pop("corpus")
            print(f"  {built}", flush=True)

        from workspace import create_app
        from workspace.auth.models import User
        from workspace.extensions import db
        from workspace.search.indexer import rebuild
        from workspace.search.query import DocSets, search, searcher

        app = create_app()
        with app.app_context():
            if args.reuse:
                indexed, rebuild_seconds = searcher().doc_count(), None
            else:
                print(f"Rebuilding the index with {args.processes} processes ...",
                      flush=True)
                started = time.perf_counter()
                indexed = rebuild(processes=args.processes, release=True)
                rebuild_seconds = time.perf_counter() - started
                print(f"  {indexed:,} entries in {rebuild_seconds:.1f} s "
                      f"({indexed / rebuild_seconds:.0f} items/s)", flush=True)

            with app.test_request_context():
                user = db.session.get(User, 1)
                print("Whoosh queries ...", flush=True)
                # The sets of each facet's values are built once per index version
                # (timed here); each query is then timed cold: the postings of its terms
                # are dropped first, so a repeated query does not find them kept.
                started = time.perf_counter()
                sets = DocSets.of(searcher())
                for name in ("kind", "network_id", "commune", "author"):
                    sets.values(name)
                facet_sets_seconds = time.perf_counter() - started

                def cold(q):
                    DocSets.of(searcher()).forget_terms()
                    return search(user, q).total

                whoosh_times, whoosh_totals = time_queries(cold, args.rounds)
                lagging_times = lagging_queries(cold, args.lagging, args.rounds) \
                    if args.lagging else []

        fts_path = data_dir / "fts5.sqlite"
        print("FTS5 reference ...", flush=True)
        fts_build = build_fts(fts_path, corpus) if corpus is not None else None
        connection = sqlite3.connect(fts_path)
        visible = list(range(1, VISIBLE_NETWORKS + 1))
        fts_times, fts_totals = time_queries(lambda q: run_fts(connection, q, visible),
                                             args.rounds)
        connection.close()

        print(f"Freshness ({args.samples} posts, worker poll "
              f"{app.config['JOBS_POLL_SECONDS']} s) ...", flush=True)
        delays = freshness(app, args.samples)

        whoosh, fts = summary(whoosh_times), summary(fts_times)
        result = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "corpus": built, "visible_networks": f"{VISIBLE_NETWORKS} of {NETWORKS}",
            "rebuild": None if rebuild_seconds is None else {
                "processes": args.processes, "entries": indexed,
                "seconds": round(rebuild_seconds, 1),
                "items_per_second": round(indexed / rebuild_seconds)},
            "queries": len(QUERIES), "rounds": args.rounds,
            "whoosh": whoosh, "fts5": fts, "fts5_build_seconds": fts_build and round(fts_build, 1),
            "facet_sets_seconds_per_index_version": round(facet_sets_seconds, 3),
            "lagging": args.lagging and {"waiting_jobs": args.lagging,
                                         **summary(lagging_times)},
            "ratio_p50": round(whoosh["p50_ms"] / fts["p50_ms"], 2),
            "ratio_p95": round(whoosh["p95_ms"] / fts["p95_ms"], 2),
            "freshness": {k.replace("_ms", "_s"): round(v / 1000, 3) if k.endswith("_ms")
                          else v for k, v in summary(delays).items()},
            "totals": {q: {"whoosh": whoosh_totals[q], "fts5": fts_totals[q]}
                       for q in QUERIES},
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"search-{datetime.now():%Y%m%d-%H%M%S}.json"
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
        print(json.dumps({k: v for k, v in result.items() if k != "totals"}, indent=2,
                         ensure_ascii=False))
        print(f"Written to {out}")
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
