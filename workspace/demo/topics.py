"""More demo forum topics (beside demo/forums.py): the everyday questions of both networks,
so that lists, pages of topics, unread marks and search have something to show."""
from __future__ import annotations

from sqlalchemy import select

from workspace.demo.gatherings import BUILDING, COORDINATORS, IT, network, user
from workspace.extensions import db
from workspace.forums import service
from workspace.forums.models import Category, Topic

MEMBERS = {IT: ["informatique.coulaines", "informatique.allonnes", "informatique.mulsanne",
                "informatique.arnage", "coordination.informatique"],
           BUILDING: ["dst.coulaines", "dst.allonnes", "batiments.mulsanne",
                      "batiments.ruaudin", "coordination.patrimoine"]}

# network -> category (name, description) -> [(title, body, [replies])]
TOPICS = {
    IT: {
        ("Messagerie Zimbra", "Mutualisation de la messagerie libre Zimbra"): [
            ("Signature commune des e-mails", "Avez-vous un modèle de **signature** avec le "
             "logo de la commune ?", ["Oui, je le dépose dans les documents.",
                                      "Attention au poids de l'image : 20 Ko maximum."]),
            ("Messages refusés par un fournisseur", "Depuis lundi, nos messages vers un "
             "grand fournisseur sont refusés.\n\n- erreur 550\n- seulement depuis Allonnes",
             ["Vérifiez l'enregistrement SPF du domaine.", "C'était bien le SPF, merci !"]),
            ("Agenda partagé de la salle du conseil", "Comment réserver une salle depuis "
             "Zimbra ?", ["Créez une ressource « salle » dans l'administration."]),
            ("Zimbra sur smartphone", "Quelle application conseillez-vous aux élus ?",
             ["Le webmail mobile suffit pour la plupart.", "Nous utilisons ActiveSync."]),
            ("Taille maximale des pièces jointes", "Nos agents envoient des plans de "
             "30 Mo : que faire ?", ["Déposez-les dans la GED et envoyez le lien."]),
        ],
        ("Sauvegarde et sécurité", "Bonnes pratiques, CIL / DPO, sensibilisation"): [
            ("Antivirus : quel produit dans vos communes ?", "Notre licence arrive à "
             "échéance en juin.", ["Nous sommes passés à l'antivirus intégré au système.",
                                   "Un achat groupé serait intéressant."]),
            ("Mots de passe des agents", "Quelle politique appliquez-vous ?\n\n1. longueur\n"
             "2. renouvellement\n3. gestionnaire de mots de passe", [
                 "Douze caractères minimum, sans renouvellement forcé.",
                 "Nous testons un gestionnaire libre."]),
            ("Hameçonnage : un faux message de la trésorerie", "Plusieurs agents l'ont reçu "
             "ce matin. Ne cliquez pas !", ["Reçu aussi à Arnage, signalé."]),
            ("Chiffrer les ordinateurs portables", "Retour d'expérience sur le chiffrement "
             "des portables des élus ?", ["Activé sur tous nos portables depuis 2023."]),
            ("Registre des traitements : par où commencer ?", "Nous partons de zéro.",
             ["Le modèle de la DPO est dans les documents.", "Commencez par l'état civil."]),
            ("Onduleurs des serveurs", "Quelle autonomie visez-vous ?", [
                "Quinze minutes, le temps d'un arrêt propre."]),
        ],
        ("GED Alfresco", "Gestion électronique de documents"): [
            ("Nommer les fichiers des délibérations", "Proposition : "
             "`AAAA-MM-JJ_numero_objet.pdf`", ["D'accord, c'est lisible et trié par date."]),
            ("Numériser les archives papier", "Qui a déjà fait numériser ses registres ?",
             ["Le Mans Métropole a un marché, renseignez-vous."]),
            ("Droits d'accès par service", "Comment limiter un dossier au service RH ?",
             ["Un groupe par service, et l'héritage coupé sur le dossier."]),
            ("Recherche plein texte", "La recherche ne trouve pas le contenu des PDF "
             "scannés.", ["Il faut une reconnaissance de caractères (OCR) à la numérisation."]),
        ],
        ("Matériel et achats", "Postes, imprimantes, téléphonie"): [
            ("Renouvellement des postes de l'école", "Douze postes de 2016 à remplacer.",
             ["Un groupement de commandes est en préparation.", "Intéressés aussi."]),
            ("Copieurs multifonctions : location ou achat ?", "Nous hésitons.",
             ["Location avec maintenance chez nous, satisfaits."]),
            ("Téléphonie sur IP", "Retour d'expérience sur le passage à la téléphonie IP ?",
             ["Fait en 2022, attention à l'alimentation des postes (PoE)."]),
            ("Écrans pour la salle du conseil", "Quelle taille pour 30 personnes ?",
             ["86 pouces, ou un vidéoprojecteur lumineux."]),
        ],
    },
    BUILDING: {
        ("Énergie dans les bâtiments", "Suite de la réunion thématique de 2016"): [
            ("Robinets thermostatiques dans les écoles", "Efficaces selon vous ?",
             ["Oui, avec des têtes verrouillables.", "Pensez à former les agents."]),
            ("Éclairage LED du gymnase", "Devis reçu : 18 000 euros. Raisonnable ?",
             ["Cohérent pour 800 m², avec détection de présence."]),
            ("Décret tertiaire : déclaration OPERAT", "Qui a déjà déclaré ?",
             ["Nous, en septembre : comptez une journée.", "La note est dans les documents."]),
            ("Panneaux solaires sur la salle des fêtes", "Étude de faisabilité en cours.",
             ["Vérifiez la charpente avant tout."]),
        ],
        ("Assistance à maîtrise d'ouvrage", "Étude d'une cellule AMO mutualisée"): [
            ("Rédiger un programme de travaux", "Un modèle à partager ?",
             ["Le programme type est dans les documents."]),
            ("Choisir un maître d'œuvre", "Quels critères pondérez-vous ?",
             ["60 % technique, 40 % prix.", "Nous ajoutons les références."]),
            ("Accessibilité des salles communales", "Diagnostic à refaire ?",
             ["Le nôtre date de 2015, nous allons le refaire."]),
        ],
        ("Entretien du patrimoine", "Toitures, chauffage, contrôles réglementaires"): [
            ("Contrôles périodiques : un calendrier commun", "Électricité, gaz, ascenseurs : "
             "comment suivez-vous les échéances ?", ["Un tableur partagé, revu chaque mois."]),
            ("Infiltrations en toiture terrasse", "Des idées d'entreprise ?",
             ["Nous avons eu une bonne expérience avec un étanchéiste local."]),
            ("Légionelle dans les vestiaires", "Quelle fréquence d'analyse ?",
             ["Une fois par an au minimum, plus si douches collectives."]),
        ],
    },
}


def load_demo_topics() -> bool:
    created = False
    for slug, categories in TOPICS.items():
        net = network(slug)
        coordinator = user(COORDINATORS[slug])
        members = MEMBERS[slug]
        existing = set(db.session.scalars(select(Topic.title).where(
            Topic.network_id == net.id)))
        for number, ((name, description), topics) in enumerate(categories.items()):
            category = db.session.scalar(select(Category).where(
                Category.network_id == net.id, Category.name == name))
            for index, (title, body, replies) in enumerate(topics):
                if title in existing:
                    continue
                if category is None:
                    category = service.save_category(coordinator, net, None, name=name,
                                                     description=description)
                author = members[(number + index) % len(members)]
                post = service.create_topic(user(author), category, title, body)
                for offset, text in enumerate(replies, start=1):
                    service.reply(user(members[(number + index + offset) % len(members)]),
                                  post.topic, text)
                created = True
    return created
