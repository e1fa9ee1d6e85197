"""Default French texts of the legal pages, shown until an administrator saves a version.

They describe the intranet of Le Mans Métropole as it is built: hosting on the
metropolitan information system, the data kept and for how long, the RGAA statement with
its known gaps. Administrators adapt them (names, dates) from the pages themselves."""
from __future__ import annotations

LEGAL_NOTICE = """\
## Éditeur

Le site « Tilt – Réseaux de techniciens » est l'espace de travail intranet des réseaux de
techniciens du schéma de mutualisation des services de **Le Mans Métropole**.

Le Mans Métropole – Communauté urbaine
Hôtel de Ville, place Saint-Pierre, 72039 Le Mans Cedex 9
Téléphone : 02 43 47 47 47

**Directeur de la publication** : le Président de Le Mans Métropole.
**Responsable éditorial** : la direction de la mutualisation, qui anime les réseaux.

## Hébergement

Le site est hébergé sur l'infrastructure de la Direction des systèmes d'information de
Le Mans Métropole, dans ses salles informatiques situées au Mans (Sarthe). Les données ne
quittent pas le territoire de l'Union européenne.

## Accès

L'espace est réservé aux agents et élus des communes membres, de Le Mans Métropole et du
CCAS, sur invitation d'un administrateur. Chaque compte est personnel : ne communiquez
jamais votre mot de passe.

## Contenus

Les messages, comptes rendus et documents sont publiés sous la responsabilité de leurs
auteurs et réservés aux membres des réseaux concernés. Leur diffusion hors de l'espace
suppose l'accord de leurs auteurs. Pour signaler un contenu, utilisez la fonction
« Signaler » du forum ou écrivez à l'administrateur du site.

## Propriété intellectuelle

La charte graphique et les logiciels du site sont la propriété de Le Mans Métropole ou de
leurs auteurs (logiciels libres, sous leurs licences respectives).
"""

PERSONAL_DATA = """\
## Responsable du traitement

Le Mans Métropole, représentée par son Président, est responsable du traitement des données
de cet espace. Délégué à la protection des données (DPO) : dpo@lemans.fr, Hôtel de Ville,
place Saint-Pierre, 72039 Le Mans Cedex 9.

## Finalité et base légale

L'espace permet aux techniciens des communes de travailler en réseau : forum, réunions,
ateliers, documents partagés, annuaire. Le traitement relève de l'exécution d'une mission
d'intérêt public (article 6-1-e du RGPD) : la mutualisation des services entre Le Mans
Métropole et ses communes.

## Données traitées

- **Identité et fonction** : nom, prénom, commune, fonction, téléphone, adresse e-mail.
- **Contributions** : messages, comptes rendus, besoins, documents déposés, réponses aux
  réunions et inscriptions aux ateliers.
- **Sécurité** : sessions de connexion (date, navigateur, adresse IP) et journal des
  événements de sécurité (connexions, échecs de connexion avec l'adresse e-mail saisie,
  changements de mot de passe, de rôle ou de compte).

## Destinataires

Les membres des réseaux dont vous faites partie voient vos contributions et votre fiche
d'annuaire ; les administrateurs du site voient les comptes et le journal de sécurité.
Aucune donnée n'est cédée ni transmise hors de Le Mans Métropole.

## Durées de conservation

- Compte : tant que vous êtes membre d'un réseau ; au départ d'un agent, le compte est
  désactivé puis **anonymisé** : ses contributions restent, signées « Ancien membre ».
- Sessions de connexion : jusqu'à leur expiration (12 heures, ou 30 jours avec « se souvenir
  de moi »).
- Journal de sécurité : **un an**, puis effacement automatique.
- Documents supprimés : 30 jours dans la corbeille, puis effacement.

## Vos droits

Vous disposez des droits d'accès, de rectification, d'effacement, de limitation et
d'opposition. Depuis **Mon compte → Mes données**, vous téléchargez à tout moment une
archive de toutes les données que l'espace conserve sur vous. Pour les autres droits,
écrivez au délégué à la protection des données. Si vous estimez que vos droits ne sont pas
respectés, vous pouvez adresser une réclamation à la CNIL (www.cnil.fr).

## Cookies

Le site n'utilise que des cookies techniques nécessaires à son fonctionnement (session,
« se souvenir de moi », protection des formulaires, langue). Aucun cookie de mesure
d'audience ni de publicité.
"""

ACCESSIBILITY = """\
Le Mans Métropole s'engage à rendre ses services numériques accessibles, conformément à
l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration s'applique à
l'espace « Tilt – Réseaux de techniciens ».

## État de conformité

L'espace est **partiellement conforme** avec le référentiel général d'amélioration de
l'accessibilité (RGAA), version 4.1, en raison des non-conformités énumérées ci-dessous.

## Contenus non accessibles

### Non-conformités connues

- Les documents bureautiques déposés par les membres (PDF, tableurs, présentations) ne
  sont pas tous accessibles : leur structure dépend de leurs auteurs.
- Les comptes rendus et messages rédigés en Markdown peuvent comporter des images sans
  alternative textuelle lorsque leur auteur ne l'a pas renseignée.
- Les exports PDF des feuilles d'émargement et des ordres du jour ne sont pas balisés
  (PDF non structuré).
- Certains tableaux de l'administration ne se lisent pas confortablement en dessous de
  320 pixels de large (défilement horizontal).
- Les messages de confirmation de certaines actions s'affichent dans une boîte de dialogue
  du navigateur, dont la restitution dépend de celui-ci.

### Contenus non soumis à l'obligation d'accessibilité

- Les fichiers bureautiques publiés avant le 23 septembre 2018.
- Les contenus de tiers déposés par les membres et non financés par Le Mans Métropole.

## Établissement de cette déclaration

Cette déclaration a été établie par une auto-évaluation interne. Technologies utilisées :
HTML5, CSS, JavaScript. Les tests ont été menés avec Firefox et NVDA, Chromium et axe-core.

## Retour d'information et contact

Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez l'administrateur de
l'espace (mutualisation@lemans.fr) pour être orienté vers une alternative accessible ou
obtenir le contenu sous une autre forme.

## Voies de recours

Si vous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à
un service et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez écrire au
Défenseur des droits (www.defenseurdesdroits.fr), contacter son délégué dans la Sarthe, ou
lui écrire gratuitement, sans affranchissement : Défenseur des droits, Libre réponse 71120,
75342 Paris CEDEX 07.
"""
