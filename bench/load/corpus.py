"""The load corpus, built in-process with the application's own models and services, and
the plan that tells the simulated members which addresses are theirs.

Members, memberships and organisations are plain model rows (one password hash, computed
once: hashing is the costly part of an account). Everything else goes through the services
a member's request would call (categories, topics and replies, folders and uploads,
meetings, workshops), so counters, follows, search outbox and stored files are as the
application leaves them. Dates are then moved back over the past months: a forum written
in one minute would make every page's "new since your last visit" list everything.
"""
from __future__ import annotations

import math
import random
from datetime import timedelta

from forum import CATEGORY_NAMES, COMMUNES, FIRST, LAST, SUBJECTS, TITLES, french_body

PASSWORD = "Charge-du-reseau-2026"
DOMAIN = "charge.lemansmetropole.fr"
NETWORKS = [
    ("reseau-informatique", "Réseau informatique"),
    ("reseau-patrimoine-bati", "Réseau patrimoine bâti"),
    ("reseau-voirie", "Réseau voirie et réseaux"),
    ("reseau-espaces-verts", "Réseau espaces verts"),
    ("reseau-marches-publics", "Réseau marchés publics"),
    ("reseau-protection-donnees", "Réseau protection des données"),
]
CATEGORIES, LONG_TOPICS, LONG_POSTS, SHORT_TOPICS = 5, 1, 200, 30
SMALL_PDFS, NOTES, LARGE_FILES, MEETINGS = 6, 6, 1, 3
LARGE_SIDE = 1320  # pixels of the noise image of a large PDF: about 5 MiB
POSTS_PER_PAGE = 20  # forums/reading.py
# What members look for: words of the posts and documents above, as typed (accents or not),
# quoted phrases, and typos (the search page suggests a spelling).
QUERIES = {
    "words": ["sauvegardes", "antivirus", "copieurs ricoh", "tablettes écoles",
              "licences office", "pare-feu", "prestataire", "budget", "migration windows",
              "standard telephonique", "quota boîtes partagées", "devis"],
    "phrase": ['"registre des traitements"', '"standard téléphonique"', '"fibre du gymnase"',
               '"petite commune"', '"prochaine réunion"', '"logiciel d\'état civil"'],
    "typo": ["sauvgardes", "antivirsu", "copieur rico", "médiatèque", "téléfonique",
             "certificas du site", "migrasion"],
}


def member_networks(n: int) -> list[int]:
    """Network indexes of member n: two thirds are in the first (large) network, every
    member in one of the others, a third in a second other one."""
    chosen = [0] if n % 3 != 2 else []
    chosen.append(1 + n % 5)
    if n % 3 == 1:
        chosen.append(1 + (n + 2) % 5)
    return sorted(set(chosen))


def build(app, members: int, registrants: int, seed: int) -> dict:
    """Fill the migrated database; return the plan (addresses per network, accounts)."""
    from werkzeug.security import generate_password_hash

    from workspace.extensions import db

    rng = random.Random(seed)
    with app.app_context():
        password_hash = generate_password_hash(PASSWORD, app.config["PASSWORD_HASH_METHOD"])
        networks, people, probe = _people(members, password_hash)
        plan_networks, counts = {}, {"posts": 0, "topics": 0, "documents": 0, "bytes": 0}
        for index, network in enumerate(networks):
            inside = [p for n, p in enumerate(people) if index in member_networks(n)]
            coordinator = inside[0]
            handles = [p.handle for p in inside]
            plan_networks[network.slug] = (
                _forum(network, coordinator, inside, handles, rng, counts)
                | _library(network, coordinator, inside, rng, counts, extra_large=index == 0)
                | {"meetings": _meetings(network, coordinator)})
            db.session.commit()
        big = networks[0]
        in_big = [p for n, p in enumerate(people) if 0 in member_networks(n)]
        if registrants > len(in_big):
            raise ValueError(f"{registrants} registrants, but {len(in_big)} members in "
                             f"{big.slug}")
        peak, control = _workshops(big, in_big[0], registrants)
        db.session.commit()
        plan = {
            "password": PASSWORD,
            "members": [{"email": p.email, "networks": [networks[i].slug
                                                        for i in member_networks(n)]}
                        for n, p in enumerate(people)],
            "registrants": [p.email for p in in_big[:registrants]],
            "probe": {"email": probe.email, "network": big.slug},
            "networks": plan_networks,
            "peak_workshop": {"network": big.slug, "id": peak},
            "control_workshop": {"network": big.slug, "id": control},
            "queries": QUERIES,
            "replies": [french_body(rng, [p.handle for p in in_big[:40]]) for _ in range(200)],
            "counts": counts | {"members": len(people), "networks": len(networks),
                                "registrants": registrants},
        }
    return plan


def _people(members: int, password_hash: str):
    """Organisations, networks, members (and the freshness probe's account)."""
    from slugify import slugify

    from workspace.auth.models import User
    from workspace.communes.models import KIND_EPCI, Organisation
    from workspace.extensions import db
    from workspace.networks.models import ROLE_COORDINATOR, ROLE_MEMBER, Membership, Network

    organisations = [Organisation(name=name, slug=slugify(name)) for name in COMMUNES]
    organisations.append(Organisation(name="Le Mans Métropole", slug="le-mans-metropole",
                                      kind=KIND_EPCI))
    networks = [Network(slug=slug, name=name, summary=f"Les techniciens des communes : {name}.",
                        is_private=True) for slug, name in NETWORKS]
    people = []
    for n in range(members):
        first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
        handle = f"{slugify(f'{first} {last}', separator='.')}.{n}"
        people.append(User(email=f"{handle}@{DOMAIN}", handle=handle, first_name=first,
                           last_name=last, password_hash=password_hash,
                           organisation=organisations[n % len(organisations)]))
    probe = User(email=f"sonde.fraicheur@{DOMAIN}", handle="sonde.fraicheur",
                 first_name="Sonde", last_name="Fraîcheur", password_hash=password_hash,
                 organisation=organisations[0])
    db.session.add_all([*organisations, *networks, *people, probe])
    coordinators = set()
    for n, person in enumerate(people):
        for index in member_networks(n):
            role = ROLE_MEMBER if index in coordinators else ROLE_COORDINATOR
            coordinators.add(index)
            db.session.add(Membership(network=networks[index], user=person, role=role))
    db.session.add(Membership(network=networks[0], user=probe, role=ROLE_MEMBER))
    db.session.commit()
    return networks, people, probe


def _forum(network, coordinator, members, handles, rng, counts) -> dict:
    """Categories; long topics (LONG_POSTS posts) and short ones (1 to 6), dated back."""
    from workspace.core.models import utcnow
    from workspace.forums import service

    names = rng.sample(CATEGORY_NAMES, CATEGORIES)
    categories = [service.save_category(coordinator, network, None, name=name,
                                        description=f"Échanges du réseau : {name.lower()}.")
                  for name in names]
    now = utcnow()
    long_topics, short_topics = [], []
    for number in range(LONG_TOPICS + SHORT_TOPICS):
        is_long = number < LONG_TOPICS
        size = LONG_POSTS if is_long else rng.randint(1, 6)
        category = rng.choice(categories)
        moment = now - timedelta(days=rng.uniform(60, 400))
        title = rng.choice(TITLES).format(s=rng.choice(SUBJECTS)).capitalize()
        post = service.create_topic(rng.choice(members), category, title,
                                    french_body(rng, handles))
        topic = post.topic
        post.created_at = topic.created_at = moment
        for _ in range(size - 1):
            moment += timedelta(minutes=rng.randint(5, 600 if is_long else 3000))
            service.reply(rng.choice(members), topic, french_body(rng, handles)).created_at = \
                moment
        topic.last_post_at = moment
        category.last_post_at = max(filter(None, [category.last_post_at, moment]))
        entry = {"id": topic.id, "pages": math.ceil(size / POSTS_PER_PAGE)}
        (long_topics if is_long else short_topics).append(entry)
        counts["topics"] += 1
        counts["posts"] += size
    return {"categories": [c.id for c in categories], "long_topics": long_topics,
            "short_topics": short_topics}


def _library(network, coordinator, members, rng, counts, extra_large: bool) -> dict:
    """Three folders: small PDFs (previewable), Markdown notes, large scanned plans (one
    more in the large network)."""
    from workspace.documents import service, uploads
    from workspace.extensions import db

    made = {"pdfs": [], "notes": [], "large": []}
    folders = {}
    for key, folder_name, count, make in (
            ("pdfs", "Comptes rendus", SMALL_PDFS, _small_pdf),
            ("notes", "Procédures", NOTES, _note),
            ("large", "Plans", LARGE_FILES + extra_large, _large_pdf)):
        folder = service.create_folder(coordinator, network, None, folder_name)
        folders[key] = folder.id
        for number in range(count):
            subject = rng.choice(SUBJECTS)
            filename, data = make(rng, subject, number)
            report = uploads.upload_documents(rng.choice(members), network, folder,
                                              [(filename, uploads.incoming_bytes(data))])
            if report.refused:
                raise RuntimeError(f"refused: {report.refused}")
            made[key].append(report.created[0].id)
            counts["documents"] += 1
            counts["bytes"] += len(data)
        db.session.flush()
    return made | {"folders": folders}


def _paragraphs(rng, subject: str, count: int) -> list[str]:
    return [french_body(rng, ["correspondant"]).replace("\n", " ") for _ in range(count)] + [
        f"Sujet : {subject}."]


def _small_pdf(rng, subject: str, number: int) -> tuple[str, bytes]:
    from workspace.demo.documents import pdf

    title = f"Compte rendu {number + 1} : {subject}"
    return f"compte-rendu-{number + 1}.pdf", pdf(title, _paragraphs(rng, subject, 6))


def _note(rng, subject: str, number: int) -> tuple[str, bytes]:
    text = "\n\n".join([f"# Procédure {number + 1} : {subject}", *_paragraphs(rng, subject, 8)])
    return f"procedure-{number + 1}.md", text.encode()


def _large_pdf(rng, subject: str, number: int) -> tuple[str, bytes]:
    """A scanned plan: one page, a noise image that does not compress (about 5 MiB)."""
    from fpdf import FPDF
    from PIL import Image

    image = Image.frombytes("RGB", (LARGE_SIDE, LARGE_SIDE),
                            rng.randbytes(LARGE_SIDE * LARGE_SIDE * 3))
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", "B", 16)
    document.multi_cell(0, 10, f"Plan {number + 1} : {subject}")
    document.image(image, x=10, y=30, w=190)
    return f"plan-{number + 1}.pdf", bytes(document.output())


def _meetings(network, coordinator) -> list[int]:
    """Upcoming meetings, open for answers."""
    from workspace.core.models import utcnow
    from workspace.meetings import service

    ids = []
    for number in range(MEETINGS):
        start = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(
            days=7 + 14 * number, hours=2)
        meeting = service.save_meeting(coordinator, network, None, service.MeetingData(
            title=f"Réunion du réseau n° {number + 1}", description="Merci de répondre avant "
            "la veille.", starts_at=start, ends_at=start + timedelta(hours=2),
            location="Salle du conseil, Le Mans Métropole",
            agenda=[service.AgendaLine("Tour de table des communes", "", 20),
                    service.AgendaLine("Questions diverses", "", 15)]))
        ids.append(meeting.id)
    return ids


def _workshops(network, coordinator, registrants: int) -> tuple[int, int]:
    """The workshop of the peak (room for every registrant, no seats per commune) and a
    second one, where the statements of a registration are counted."""
    from workspace.core.models import utcnow
    from workspace.workshops import service

    start = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=30)
    ids = []
    for title, capacity in (("Atelier : sauvegardes et restauration", registrants + 50),
                            ("Atelier : licences et contrats", 30)):
        workshop = service.save_workshop(coordinator, network, None, service.WorkshopData(
            theme="Sécurité", title=title, description="Apportez vos questions.",
            starts_at=start, ends_at=start + timedelta(hours=3), location="Salle de formation",
            capacity=capacity, seats_per_commune=None,
            registration_deadline=start - timedelta(days=2)))
        ids.append(workshop.id)
    return ids[0], ids[1]


def settle(app) -> dict:
    """Before the load: extract the documents' text now (else the job worker starts the
    test with that backlog) and drop the announcements of the corpus's own history, as
    `flask seed` does for the demo (workspace/demo/everyday.py). What stays pending is
    returned: the search rebuild that follows settles the indexing jobs."""
    from sqlalchemy import delete, func, select

    from workspace.core.jobs import PENDING, Job, run_pending_jobs
    from workspace.demo.everyday import ANNOUNCEMENTS
    from workspace.extensions import db

    with app.app_context():
        extracted = run_pending_jobs(kinds=["documents.extract"])
        dropped = db.session.execute(delete(Job).where(
            Job.kind.in_(ANNOUNCEMENTS), Job.status == PENDING)).rowcount
        db.session.commit()
        pending = dict(db.session.execute(select(Job.kind, func.count()).where(
            Job.status == PENDING).group_by(Job.kind)).all())
    return {"extracted": extracted, "announcements_dropped": dropped, "pending": pending}


def skip_due_periodic(app) -> int:
    """Record the periodic tasks due today as done (bench/search.py does the same): the
    load test measures an ordinary day, not the first start of a new installation (after
    02:45 that would begin with the nightly index optimisation and sweeps)."""
    from sqlalchemy import update

    from workspace.core.jobs import DONE, PENDING, Job, enqueue_due_periodic
    from workspace.extensions import db

    with app.app_context():
        enqueue_due_periodic()
        skipped = db.session.execute(update(Job).where(
            Job.status == PENDING, Job.dedup_key.like("periodic:%")).values(
            status=DONE)).rowcount
        db.session.commit()
    return skipped
