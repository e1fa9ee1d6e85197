"""Demo data: the 19 communes of 2017, the two networks of the seed document, a few people.

Loading is idempotent: each object is looked up by its natural key before it is created.
"""
from __future__ import annotations

from slugify import slugify
from sqlalchemy import select

from workspace.auth.models import (
    FUNCTION_BUILDING,
    FUNCTION_DPO,
    FUNCTION_ELECTED,
    FUNCTION_IT,
    FUNCTION_TECH_DIRECTOR,
    User,
)
from workspace.auth.service import set_password
from workspace.communes.models import KIND_CCAS, KIND_COMMUNE, KIND_EPCI, Organisation
from workspace.extensions import db
from workspace.networks.models import ROLE_COORDINATOR, ROLE_MEMBER, Membership, Network

DEMO_PASSWORD = "Mutualisation-2017"


def init_app(app) -> None:
    from workspace.demo.cli import register_cli

    register_cli(app)

COMMUNES_2017 = [
    ("Le Mans", 1971), ("Allonnes", 1971), ("Arnage", 1971), ("La Chapelle-Saint-Aubin", 1971),
    ("Coulaines", 1971), ("Rouillon", 1971), ("Sargé-lès-le-Mans", 1971),
    ("Yvré-l'Évêque", 1971), ("Mulsanne", 2004), ("Aigné", 2013), ("Champagné", 2013),
    ("La Milesse", 2013), ("Ruaudin", 2013), ("Saint-Saturnin", 2013),
    ("Chaufour-Notre-Dame", 2017), ("Fay", 2017), ("Pruillé-le-Chétif", 2017),
    ("Saint-Georges-du-Bois", 2017), ("Trangé", 2017),
]
OTHER_ORGANISATIONS = [("Le Mans Métropole", KIND_EPCI), ("CCAS du Mans", KIND_CCAS)]

IT_NETWORK = {
    "slug": "reseau-informatique",
    "name": "Réseau informatique",
    "summary": "Les correspondants informatique des communes : partager les systèmes "
               "d'information et les outils informatiques.",
    "description": """Réseau de techniciens lancé en 2016 (action prioritaire 1 du schéma de
mutualisation : *partager les systèmes d'information et outils informatiques*).

Il réunit le **correspondant informatique de chaque commune** pour :

- partager des pratiques et des problématiques ;
- présenter et former aux outils mutualisés : messagerie libre **Zimbra**, gestion électronique
  de documents **Alfresco**, tutoriels ;
- sécuriser et sauvegarder les données : bonnes pratiques, rôle du correspondant
  informatique et libertés (CIL), futur DPO ;
- étudier l'harmonisation des parcs et des outils (messagerie, GED, achats de matériels,
  télécommunications et logiciels), à partir d'un recensement détaillé des contrats.
""",
}
BUILDING_NETWORK = {
    "slug": "reseau-patrimoine-bati",
    "name": "Réseau patrimoine bâti",
    "summary": "Directeurs des services techniques et correspondants du patrimoine bâti : "
               "partager l'expertise sur l'architecture et l'analyse du patrimoine.",
    "description": """Réseau de techniciens lancé en 2016 (action prioritaire 2 du schéma de
mutualisation : *partager l'expertise sur l'architecture et l'analyse du patrimoine bâti*).

Il réunit les **directeurs des services techniques** et les **correspondants du patrimoine
bâti** des communes. Ses ateliers thématiques suivent les besoins exprimés par les communes :

- la question énergétique dans les bâtiments (première réunion thématique, 2016) ;
- les missions d'une cellule d'**assistance à maîtrise d'ouvrage** (AMO) mutualisée ;
- l'identification des besoins des communes et l'étude de faisabilité de cette cellule.
""",
}

# (e-mail local part, first, last, commune, function, job title, networks {slug: role}, admin)
PEOPLE = [
    ("admin", "Claire", "Moreau", "Le Mans Métropole", FUNCTION_DPO,
     "Chargée de mission mutualisation", {}, True),
    ("coordination.informatique", "Julien", "Lefèvre", "Le Mans Métropole", FUNCTION_IT,
     "Responsable du pôle infrastructures, DSI mutualisée",
     {"reseau-informatique": ROLE_COORDINATOR}, False),
    ("coordination.patrimoine", "Nathalie", "Girard", "Le Mans Métropole",
     FUNCTION_TECH_DIRECTOR, "Directrice du patrimoine bâti",
     {"reseau-patrimoine-bati": ROLE_COORDINATOR}, False),
    ("informatique.coulaines", "Thomas", "Bernard", "Coulaines", FUNCTION_IT,
     "Correspondant informatique", {"reseau-informatique": ROLE_MEMBER}, False),
    ("dst.coulaines", "Isabelle", "Roux", "Coulaines", FUNCTION_TECH_DIRECTOR,
     "Directrice des services techniques", {"reseau-patrimoine-bati": ROLE_MEMBER}, False),
    ("informatique.allonnes", "Karim", "Haddad", "Allonnes", FUNCTION_IT,
     "Technicien informatique", {"reseau-informatique": ROLE_MEMBER}, False),
    ("dst.allonnes", "Philippe", "Lemoine", "Allonnes", FUNCTION_TECH_DIRECTOR,
     "Directeur des services techniques", {"reseau-patrimoine-bati": ROLE_MEMBER}, False),
    ("informatique.mulsanne", "Sophie", "Chevalier", "Mulsanne", FUNCTION_IT,
     "Secrétaire de mairie, correspondante informatique",
     {"reseau-informatique": ROLE_MEMBER}, False),
    ("batiments.mulsanne", "Éric", "Fournier", "Mulsanne", FUNCTION_BUILDING,
     "Responsable des bâtiments communaux", {"reseau-patrimoine-bati": ROLE_MEMBER}, False),
    ("informatique.arnage", "Céline", "Dupont", "Arnage", FUNCTION_IT,
     "Correspondante informatique", {"reseau-informatique": ROLE_MEMBER}, False),
    ("batiments.ruaudin", "François", "Mercier", "Ruaudin", FUNCTION_BUILDING,
     "Agent technique bâtiments", {"reseau-patrimoine-bati": ROLE_MEMBER}, False),
    ("informatique.trange", "Aurélie", "Blanchard", "Trangé", FUNCTION_IT,
     "Secrétaire générale, correspondante informatique", {}, False),
    ("elu.mulsanne", "Jean-Yves", "Lecoq", "Mulsanne", FUNCTION_ELECTED,
     "Conseiller délégué aux Solidarités communautaires et à la Mutualisation", {}, False),
]
DOMAIN = "demo.lemansmetropole.fr"

DEMO_ACCOUNTS = [
    {"role": "Administrateur", "email": f"admin@{DOMAIN}", "password": DEMO_PASSWORD},
    {"role": "Coordinateur (informatique)", "email": f"coordination.informatique@{DOMAIN}",
     "password": DEMO_PASSWORD},
    {"role": "Coordinatrice (patrimoine)", "email": f"coordination.patrimoine@{DOMAIN}",
     "password": DEMO_PASSWORD},
    {"role": "Membre (informatique)", "email": f"informatique.coulaines@{DOMAIN}",
     "password": DEMO_PASSWORD},
    {"role": "Sans réseau", "email": f"informatique.trange@{DOMAIN}", "password": DEMO_PASSWORD},
]


def _get_or_create(model, key: dict, **values):
    instance = db.session.scalar(select(model).filter_by(**key))
    if instance is not None:
        return instance, False
    instance = model(**key, **values)
    db.session.add(instance)
    db.session.flush()
    return instance, True


def load_demo_data() -> bool:
    """Create whatever is missing; return True if anything was created."""
    created_any = False
    organisations = {}
    for name, year in COMMUNES_2017:
        organisations[name], created = _get_or_create(
            Organisation, {"slug": slugify(name)}, name=name, kind=KIND_COMMUNE,
            joined_year=year)
        created_any |= created
    for name, kind in OTHER_ORGANISATIONS:
        organisations[name], created = _get_or_create(Organisation, {"slug": slugify(name)},
                                                      name=name, kind=kind)
        created_any |= created
    networks = {}
    for spec in (IT_NETWORK, BUILDING_NETWORK):
        values = dict(spec)
        slug = values.pop("slug")
        networks[slug], created = _get_or_create(Network, {"slug": slug}, is_private=True,
                                                 **values)
        created_any |= created
    for (local, first, last, commune, function, title, roles, is_admin) in PEOPLE:
        email = f"{local}@{DOMAIN}"
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, first_name=first, last_name=last, job_title=title,
                        organisation=organisations[commune], network_function=function,
                        phone="02 43 47 " + f"{len(local) * 3 % 100:02d} {len(first) * 7:02d}",
                        is_admin=is_admin, locale="fr")
            set_password(user, DEMO_PASSWORD)
            db.session.add(user)
            db.session.flush()
            created_any = True
        for slug, role in roles.items():
            _, created = _get_or_create(Membership, {"network_id": networks[slug].id,
                                                     "user_id": user.id}, role=role)
            created_any |= created
    from workspace.demo.forums import load_demo_forums
    from workspace.demo.inventory import load_demo_inventory
    from workspace.demo.plan import load_demo_plan
    from workspace.demo.tutorials import load_demo_tutorials

    created_any |= load_demo_forums()
    created_any |= load_demo_plan()
    created_any |= load_demo_inventory()
    created_any |= load_demo_tutorials()
    from workspace.demo.everyday import load_demo_everyday

    created_any |= load_demo_everyday()
    from workspace.demo.polls import load_demo_polls

    created_any |= load_demo_polls()
    from workspace.privacy.legal import ensure_default_pages

    created_any |= ensure_default_pages()
    return created_any
