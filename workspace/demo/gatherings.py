"""Demo meetings, workshops and needs: a network's life over the last weeks and the next
ones (dates relative to the day the demo is loaded, so that "à venir" is never empty and
the year's report counts what was held).

Made through the features' services as a coordinator and members would; only the dates of
what is shown as past are set afterwards (a registration cannot be taken once a workshop
has started, so the demo registers first, then moves the workshop into the past)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from workspace.auth.models import User
from workspace.core.models import utcnow
from workspace.core.timezones import local_to_utc, utc_to_local
from workspace.extensions import db
from workspace.meetings import service as meetings
from workspace.meetings.models import ACTION_DONE, ANSWER_MAYBE, ANSWER_NO, ANSWER_YES, Meeting
from workspace.needs import service as needs
from workspace.needs.models import NEED_OPEN, Need
from workspace.networks.models import Network
from workspace.workshops import service as workshops
from workspace.workshops.models import CONFIRMED, Workshop

DOMAIN = "demo.lemansmetropole.fr"
IT, BUILDING = "reseau-informatique", "reseau-patrimoine-bati"


def user(local: str) -> User:
    return db.session.scalar(select(User).where(User.email == f"{local}@{DOMAIN}"))


def network(slug: str) -> Network:
    return db.session.scalar(select(Network).where(Network.slug == slug))


def day(offset: int, hour: int, minute: int = 0) -> datetime:
    """UTC time of `hour` (Paris) `offset` days from today."""
    today = utc_to_local(utcnow()).date() + timedelta(days=offset)
    return local_to_utc(datetime(today.year, today.month, today.day, hour, minute))


# (network, title, days from today, place, agenda [(title, presenter, minutes)], minutes,
#  decisions, actions [(title, owner, days until due, done)])
MEETINGS = [
    (IT, "Réunion du réseau informatique : messagerie Zimbra", -40,
     "Salle du conseil, Le Mans Métropole",
     [("Tour de table des communes", "", 20),
      ("Bilan des quotas des boîtes partagées", "Julien Lefèvre", 30),
      ("Calendrier de migration vers Zimbra", "Thomas Bernard", 40)],
     "## Présents\n\nCoulaines, Allonnes, Mulsanne, Arnage, Le Mans Métropole.\n\n"
     "## Messagerie\n\n- quota de **10 Go** retenu pour les boîtes partagées ;\n"
     "- migration de Mulsanne et d'Arnage au premier trimestre ;\n"
     "- une procédure d'archivage annuelle sera rédigée.\n",
     ["Quota de 10 Go pour les boîtes partagées des communes.",
      "Migration de Mulsanne et d'Arnage vers Zimbra au premier trimestre."],
     [("Rédiger la procédure d'archivage des boîtes partagées", "informatique.mulsanne", -5,
       True),
      ("Recenser les boîtes partagées de chaque commune", "informatique.coulaines", 10, False),
      ("Préparer le planning de migration d'Arnage", "informatique.arnage", 20, False)]),
    (IT, "Réunion du réseau informatique : sauvegardes et RGPD", -12,
     "Mairie de Coulaines, salle 2",
     [("Retour sur les tests de restauration", "Karim Haddad", 30),
      ("Registre des traitements : où en est chaque commune ?", "Claire Moreau", 45)],
     "## Sauvegardes\n\nAllonnes a testé une restauration complète : **4 h** pour le "
     "serveur de fichiers.\n\n## RGPD\n\n1. registre commencé à Coulaines et Allonnes ;\n"
     "2. modèle commun proposé par la DPO de Le Mans Métropole.\n",
     ["Un test de restauration par trimestre dans chaque commune."],
     [("Partager le modèle de registre des traitements", "coordination.informatique", 7,
       False)]),
    (IT, "Réunion du réseau informatique : GED Alfresco", 9, "Visioconférence",
     [("Démonstration de la GED mutualisée", "Julien Lefèvre", 45),
      ("Besoins des communes : classement des délibérations", "Sophie Chevalier", 30),
      ("Questions diverses", "", 15)], "", [], []),
    (IT, "Réunion du réseau informatique : achats groupés de postes", 37,
     "Salle du conseil, Le Mans Métropole",
     [("Inventaire des postes à renouveler", "Céline Dupont", 30),
      ("Groupement de commandes : calendrier", "Julien Lefèvre", 30)], "", [], []),
    (BUILDING, "Réunion du réseau patrimoine bâti : énergie dans les écoles", -25,
     "Mairie d'Allonnes",
     [("Retour d'expérience : chaudières à condensation", "Isabelle Roux", 30),
      ("Décret tertiaire : obligations des communes", "Nathalie Girard", 45)],
     "## Énergie\n\n- Coulaines : **-18 %** de gaz après remplacement des chaudières ;\n"
     "- le décret tertiaire concerne les bâtiments de plus de 1 000 m².\n",
     ["Un tableau commun de suivi des consommations sera tenu par le réseau."],
     [("Envoyer les consommations 2024 des écoles", "dst.allonnes", 14, False),
      ("Diffuser la note sur le décret tertiaire", "coordination.patrimoine", -2, True)]),
    (BUILDING, "Réunion du réseau patrimoine bâti : cellule AMO", 16, "Mairie de Mulsanne",
     [("Missions d'une assistance à maîtrise d'ouvrage", "Nathalie Girard", 40),
      ("Projets des communes pour l'an prochain", "", 40)], "", [], []),
]

ANSWERS = {IT: [("informatique.coulaines", ANSWER_YES), ("informatique.allonnes", ANSWER_YES),
                ("informatique.mulsanne", ANSWER_MAYBE), ("informatique.arnage", ANSWER_NO)],
           BUILDING: [("dst.coulaines", ANSWER_YES), ("dst.allonnes", ANSWER_YES),
                      ("batiments.mulsanne", ANSWER_YES), ("batiments.ruaudin", ANSWER_MAYBE)]}
COORDINATORS = {IT: "coordination.informatique", BUILDING: "coordination.patrimoine"}


def load_meetings() -> bool:
    created = False
    for slug, title, offset, place, agenda, minutes, decided, actions in MEETINGS:
        net = network(slug)
        if db.session.scalar(select(Meeting).where(Meeting.network_id == net.id,
                                                   Meeting.title == title)):
            continue
        coordinator = user(COORDINATORS[slug])
        meeting = meetings.save_meeting(coordinator, net, None, meetings.MeetingData(
            title=title, description="Ordre du jour ci-dessous ; merci de répondre avant "
            "la veille.", starts_at=day(offset, 14), ends_at=day(offset, 16, 30),
            location=place, agenda=[meetings.AgendaLine(*line) for line in agenda]))
        for local, value in ANSWERS[slug]:
            meetings.answer(user(local), meeting, value)
        if offset < 0:
            present = {user(local).id for local, value in ANSWERS[slug] if value != ANSWER_NO}
            meetings.record_attendance(coordinator, meeting, present | {coordinator.id})
            meetings.save_minutes(coordinator, meeting, minutes)
            for text in decided:
                meetings.add_decision(coordinator, meeting, text)
            for action, owner, due, done in actions:
                item = meetings.add_action(coordinator, net, meeting, action,
                                           owner_user=user(owner),
                                           due_on=(utcnow() + timedelta(days=due)).date())
                if done:
                    meetings.set_action_status(coordinator, item, ACTION_DONE)
        created = True
    return created


# (network, theme, title, days from today, capacity, seats per commune, registrants, past)
WORKSHOPS = [
    (IT, "Messagerie", "Atelier Zimbra : partages et délégations", -18, 4, None,
     ["informatique.coulaines", "informatique.allonnes", "informatique.mulsanne",
      "informatique.arnage"], True),
    (IT, "Sécurité", "Atelier sauvegardes : tester une restauration", 12, 3, None,
     ["informatique.coulaines", "informatique.allonnes", "informatique.mulsanne",
      "informatique.arnage"], False),
    (IT, "GED", "Atelier Alfresco : classer les délibérations", 44, 8, 2,
     ["informatique.mulsanne"], False),
    (BUILDING, "Énergie", "Atelier : lire une facture d'énergie", -8, 5, 1,
     ["dst.coulaines", "dst.allonnes", "batiments.mulsanne", "batiments.ruaudin"], True),
    (BUILDING, "AMO", "Atelier : rédiger un programme de travaux", 23, 2, 1,
     ["dst.coulaines", "batiments.mulsanne", "dst.allonnes", "batiments.ruaudin"], False),
]
FEEDBACK = [(5, "Les démonstrations sur nos propres boîtes.", "Un support imprimé."),
            (4, "Très concret, échanges entre communes.", "Un peu court."),
            (4, "Les exemples de factures réelles.", "")]


def load_workshops() -> bool:
    created = False
    for slug, theme, title, offset, capacity, per_commune, registrants, past in WORKSHOPS:
        net = network(slug)
        if db.session.scalar(select(Workshop).where(Workshop.network_id == net.id,
                                                    Workshop.title == title)):
            continue
        coordinator = user(COORDINATORS[slug])
        start = offset if not past else 30
        workshop = workshops.save_workshop(coordinator, net, None, workshops.WorkshopData(
            theme=theme, title=title, description="Apportez vos questions et, si possible, "
            "un exemple de votre commune.\n\n- durée : une demi-journée\n- places limitées",
            starts_at=day(start, 9, 30), ends_at=day(start, 12), location="Le Mans Métropole, "
            "salle de formation", capacity=capacity, seats_per_commune=per_commune,
            registration_deadline=day(start - 2, 18)))
        for local in registrants:
            workshops.register(user(local), workshop.id)
        if past:  # held: move it into the past, then attendance and feedback
            workshop.starts_at, workshop.ends_at = day(offset, 9, 30), day(offset, 12)
            workshop.registration_deadline = day(offset - 2, 18)
            confirmed = workshops.registrations(workshop, CONFIRMED)
            present = {registration.user_id for registration in confirmed[:3]}
            workshops.record_attendance(coordinator, workshop, present)
            workshops.save_notes(coordinator, workshop, "## Ce qui a été vu\n\n"
                                 "- les réglages pas à pas ;\n- les erreurs fréquentes.\n")
            for registration, feedback in zip(confirmed[:3], FEEDBACK, strict=False):
                workshops.give_feedback(registration.user, workshop, *feedback)
        created = True
    return created


# (network, author, title, description, communes that say "nous aussi" [(member, comment)])
NEEDS = [
    (IT, "informatique.mulsanne", "Former les secrétaires de mairie à la GED",
     "Nos agents classent encore les délibérations dans des dossiers partagés.",
     [("informatique.arnage", "Même besoin chez nous."),
      ("informatique.coulaines", "")]),
    (IT, "informatique.allonnes", "Un modèle commun de charte informatique",
     "Pour les nouveaux agents et les élus : usage de la messagerie et des postes.",
     [("informatique.coulaines", "Notre charte date de 2012.")]),
    (IT, "informatique.arnage", "Groupement de commandes pour les postes de travail", "", []),
    (BUILDING, "dst.coulaines", "Suivre les consommations d'énergie des écoles",
     "Un tableau partagé, mis à jour chaque trimestre.",
     [("dst.allonnes", ""), ("batiments.mulsanne", "Nous avons les relevés depuis 2019.")]),
    (BUILDING, "batiments.ruaudin", "Diagnostic accessibilité des salles communales", "",
     [("dst.allonnes", "")]),
]


def load_needs() -> bool:
    created = False
    for slug, author, title, description, supporters in NEEDS:
        net = network(slug)
        if db.session.scalar(select(Need).where(Need.network_id == net.id,
                                                Need.title == title)):
            continue
        need = needs.create_need(user(author), net, title, description)
        for local, comment in supporters:
            needs.support(user(local), need, comment)
        created = True
    # the GED need is answered by the upcoming Alfresco workshop
    net = network(IT)
    need = db.session.scalar(select(Need).where(
        Need.network_id == net.id, Need.title == NEEDS[0][2]))
    workshop = db.session.scalar(select(Workshop).where(
        Workshop.network_id == net.id, Workshop.title == WORKSHOPS[2][2]))
    if need is not None and workshop is not None and need.status == NEED_OPEN:
        needs.answer_with_workshop(user(COORDINATORS[IT]), need, workshop)
        created = True
    return created


def load_demo_gatherings() -> bool:
    created = load_meetings()
    created |= load_workshops()
    created |= load_needs()
    db.session.flush()
    return created
