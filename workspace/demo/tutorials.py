"""Demo tutorials of the IT network: the procedures correspondents ask each other for."""
from __future__ import annotations

from sqlalchemy import select

from workspace.auth.models import User
from workspace.extensions import db
from workspace.networks.models import Network
from workspace.tutorials import service
from workspace.tutorials.models import Tutorial

DOMAIN = "demo.lemansmetropole.fr"
NETWORK = "reseau-informatique"

FILTERS = """Un filtre range automatiquement le courrier qui arrive : factures dans un dossier,
alertes de supervision marquées comme lues, messages d'un élu signalés. Il s'applique à
chaque nouveau message, même quand le webmail est fermé.

## Créer un filtre

1. Dans le webmail Zimbra, ouvrez l'onglet **Préférences**.
2. Dans la colonne de gauche, choisissez **Filtres**.
3. Cliquez sur **Créer un filtre** et donnez-lui un nom parlant (« Factures fournisseurs »).
4. Choisissez la condition, par exemple : *Expéditeur* **contient** `@fournisseur.fr`.
5. Choisissez l'action : **Placer dans le dossier** « Factures ».
6. Cliquez sur **OK**, puis sur **Enregistrer** en haut de la page.

## Appliquer le filtre aux messages déjà reçus

Un nouveau filtre ne touche que les messages à venir. Pour ranger les anciens : sélectionnez
le filtre dans la liste, puis **Exécuter le filtre** et choisissez le dossier *Réception*.

## Bon à savoir

- L'ordre des filtres compte : Zimbra les applique de haut en bas.
- Cochez **Ne pas traiter d'autres filtres** pour qu'un message ne soit rangé qu'une fois.
- Évitez de filtrer sur l'objet seul : il change trop souvent.
"""

FILTERS_TIP = """

> Astuce d'Allonnes : pour les boîtes partagées (accueil, services techniques), créez les
> filtres **dans la boîte partagée elle-même**, pas dans votre boîte personnelle : ils
> continuent de fonctionner quand vous êtes absent.
"""

AGENDA = """Partager son agenda permet à un secrétariat de prendre des rendez-vous pour un élu,
ou à une équipe technique de voir les astreintes de chacun.

## Partager un agenda

1. Ouvrez l'onglet **Agenda**.
2. Faites un clic droit sur l'agenda à partager (par exemple « Agenda du maire »), puis
   **Partager l'agenda**.
3. Saisissez l'adresse de la personne, ou d'une liste (`secretariat@mairie-exemple.fr`).
4. Choisissez le rôle :
   - **Lecteur** : voit les rendez-vous ;
   - **Gestionnaire** : voit, crée, modifie et accepte les invitations ;
   - **Administrateur** : peut aussi repartager l'agenda.
5. Cliquez sur **OK** : la personne reçoit un message pour accepter le partage.

## Rendez-vous privés

Un rendez-vous marqué **Privé** n'apparaît que comme « occupé » pour les lecteurs : utile pour
les rendez-vous médicaux ou les entretiens individuels.

## Retirer un partage

Clic droit sur l'agenda, **Modifier les propriétés**, puis **Révoquer** en face de la personne.
"""

ALFRESCO = """La GED Alfresco mutualisée conserve les documents de la commune avec leurs versions :
plus de « version_finale_v3_bis.docx » dans les boîtes mail.

## Déposer un document

1. Connectez-vous à Alfresco Share et ouvrez le **site** de votre service (par exemple
   « Urbanisme - Coulaines »).
2. Cliquez sur **Espace documentaire**, puis ouvrez le dossier voulu.
3. Cliquez sur **Importer** et choisissez le fichier, ou glissez-le depuis l'explorateur
   Windows dans la fenêtre.
4. Une fois le dépôt terminé, cliquez sur le document et renseignez ses **propriétés** :
   titre, description, mots-clés.

## Déposer une nouvelle version

Ne déposez pas le fichier une seconde fois : ouvrez le document, puis **Importer une nouvelle
version**. Choisissez *version mineure* pour une correction, *version majeure* pour une
version validée, et écrivez un commentaire (« relu par le DGS »).

## Nommer les fichiers

| À faire | À éviter |
| --- | --- |
| `2017-03-26_CR_conseil-municipal.pdf` | `CR conseil (2).pdf` |
| des tirets ou des soulignés | des accents et des espaces dans les noms |

En cas de doute, demandez sur le forum du réseau, catégorie « GED Alfresco ».
"""

TUTORIALS = [  # (author, title, text, (editor, text added) or None)
    ("informatique.mulsanne", "Filtres dans Zimbra", FILTERS,
     ("informatique.allonnes", FILTERS_TIP)),
    ("informatique.coulaines", "Partager un agenda Zimbra", AGENDA, None),
    ("coordination.informatique", "Déposer un document dans Alfresco", ALFRESCO, None),
]


def _user(local: str) -> User:
    return db.session.scalar(select(User).where(User.email == f"{local}@{DOMAIN}"))


def load_demo_tutorials() -> bool:
    network = db.session.scalar(select(Network).where(Network.slug == NETWORK))
    if network is None:
        return False
    created = False
    for author, title, text, edit in TUTORIALS:
        if db.session.scalar(select(Tutorial.id).where(Tutorial.network_id == network.id,
                                                       Tutorial.title == title)):
            continue
        tutorial = service.create_tutorial(_user(author), network, title, text)
        if edit is not None:
            editor, addition = edit
            service.edit_tutorial(_user(editor), tutorial, title, text + addition,
                                  tutorial.version)
        created = True
    return created
