"""Demo forum content: the questions the networks really ask each other."""
from __future__ import annotations

from sqlalchemy import delete, select

from workspace.auth.models import User
from workspace.core.jobs import Job
from workspace.extensions import db
from workspace.forums import service
from workspace.forums.models import Category
from workspace.networks.models import Network

DOMAIN = "demo.lemansmetropole.fr"

CONTENT = {
    "reseau-informatique": {
        "coordinator": "coordination.informatique",
        "categories": [
            ("Messagerie Zimbra", "Mutualisation de la messagerie libre Zimbra", [
                ("informatique.coulaines", "Zimbra : quota des boîtes partagées ?",
                 "Bonjour à tous,\n\nQuel **quota** appliquez-vous aux boîtes partagées "
                 "(accueil, services techniques) ? Chez nous elles saturent vite.",
                 [("informatique.mulsanne", "Nous sommes à 5 Go par boîte partagée, avec un "
                   "archivage annuel.\n\n@thomas.bernard je peux t'envoyer notre procédure."),
                  ("coordination.informatique", "Pour l'étude de mutualisation, la DSI "
                   "propose **10 Go** par boîte partagée. On en parle à la prochaine réunion.")]),
            ]),
            ("Sauvegarde et sécurité", "Bonnes pratiques, CIL / DPO, sensibilisation", [
                ("informatique.allonnes", "Sauvegarde des serveurs : quelle rotation ?",
                 "Nous passons au disque externe + copie hors site.\n\n- quotidienne : 7 jours"
                 "\n- hebdomadaire : 4 semaines\n- mensuelle : 12 mois\n\nQu'en pensez-vous ?",
                 [("informatique.arnage", "Même schéma chez nous, avec un test de "
                   "restauration chaque trimestre : indispensable !")]),
            ]),
            ("GED Alfresco", "Gestion électronique de documents", []),
        ],
    },
    "reseau-patrimoine-bati": {
        "coordinator": "coordination.patrimoine",
        "categories": [
            ("Énergie dans les bâtiments", "Suite de la réunion thématique de 2016", [
                ("dst.coulaines", "Chaudières à condensation dans les écoles",
                 "Retour d'expérience sur le remplacement des chaudières de deux écoles : "
                 "**-18 %** de consommation de gaz la première année.",
                 [("batiments.mulsanne", "Intéressant ! Quel bureau d'études avez-vous "
                   "consulté ?")]),
            ]),
            ("Assistance à maîtrise d'ouvrage", "Étude d'une cellule AMO mutualisée", []),
        ],
    },
}


def _user(local: str) -> User:
    return db.session.scalar(select(User).where(User.email == f"{local}@{DOMAIN}"))


def load_demo_forums() -> bool:
    created = False
    for slug, spec in CONTENT.items():
        network = db.session.scalar(select(Network).where(Network.slug == slug))
        coordinator = _user(spec["coordinator"])
        for name, description, topics in spec["categories"]:
            if db.session.scalar(select(Category).where(Category.network_id == network.id,
                                                        Category.name == name)):
                continue
            category = service.save_category(coordinator, network, None, name=name,
                                             description=description)
            for author, title, body, replies in topics:
                post = service.create_topic(_user(author), category, title, body)
                for replier, text in replies:
                    service.reply(_user(replier), post.topic, text)
            created = True
    # demo posts are not news: no e-mail about them
    db.session.execute(delete(Job).where(Job.kind.in_(["forums.new_post", "forums.mentions"])))
    return created
