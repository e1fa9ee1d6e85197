"""Demo data of the pooling plan: the "Schéma de mutualisation des services 2014-2020" of
Le Mans Métropole, its three priority actions with the 2016 reminders and 2017 objectives as
the progress report of March 2017 writes them.

Action 3 (culture) belongs to no network: no culture network exists yet, so it is visible
to every signed-in user and edited by administrators until one is created and attached."""
from __future__ import annotations

from sqlalchemy import select

from workspace.core.markdown import render_markdown
from workspace.extensions import db
from workspace.networks.models import Network
from workspace.plan.models import ActionReminder, Objective, Plan, PlanAction

PLAN_TITLE = "Schéma de mutualisation des services"
AXIS_COMMUNES = "Mutualisations entre Le Mans Métropole et ses communes membres"
AXIS_HORIZONTAL = "Mutualisations « horizontales » entre communes membres"

# (number, title, axis, network slugs, 2016 reminder, [(objective, semester, kind)])
ACTIONS = [
    (1, "Partager les systèmes d'information et outils informatiques", AXIS_COMMUNES,
     ["reseau-informatique"],
     "- état des lieux des organisations et des besoins dans les 14 communes\n"
     "- lancement d'un réseau de techniciens (correspondants informatique)\n",
     [("mutualisation d'outils informatiques (messagerie libre, gestion électronique de "
       "documents = GED, tutoriaux...) : actions de présentation-information et/ou de "
       "formation sur leurs principes d'utilisation", "s1", "information"),
      ("sécurisation et sauvegarde des données informatiques : actions d'information et de "
       "sensibilisation, partage de bonnes pratiques, présentation du rôle du Correspondant "
       "Informatique et Libertés (CIL), futur DPO (« Data Protection Officer »), en vue "
       "d'étudier l'opportunité de créer un CIL mutualisé", "s1", "information"),
      ("harmonisation de parcs et d'outils informatiques via des études d'opportunité et de "
       "faisabilité sur les mutualisations d'outils et applicatifs (messagerie, GED...) : une "
       "étude spécifique sur l'opportunité et les conditions de proposer une offre mutualisée "
       "de messagerie sera lancée en priorité ; et d'achats / acquisitions (matériels, "
       "télécommunications, logiciels...)", "s2", "opportunity")]),
    (2, "Partager l'expertise sur l'architecture et l'analyse du patrimoine bâti",
     AXIS_COMMUNES, ["reseau-patrimoine-bati"],
     "- état des lieux des organisations et des besoins dans les 14 communes\n"
     "- lancement d'un réseau de techniciens (DST / correspondants du patrimoine bâti)\n"
     "- première réunion thématique consacrée à la question énergétique dans les bâtiments\n",
     [("poursuivre les ateliers thématiques en fonction des besoins exprimés par les communes",
       "year", "information"),
      ("structurer la plateforme informatique d'échanges (NB : un espace de travail dédié "
       "dans l'intranet Tilt sera créé)", "s1", "other"),
      ("étudier l'opportunité puis les conditions de faisabilité de mise en place d'une "
       "cellule d'Assistance à Maîtrise d'Ouvrage pour les communes : atelier thématique sur "
       "la présentation des missions d'une AMO, identification des besoins des communes, "
       "étude de faisabilité opérationnelle", "s2", "opportunity")]),
    (3, "Favoriser les rapprochements dans le champ « culture »", AXIS_HORIZONTAL, [],
     "- réflexion sur la communication culturelle\n"
     "- réflexion sur la structuration en pôles de l'enseignement artistique\n"
     "- présentation du site Internet de Le Mans Métropole dédié à l'évènementiel\n",
     [("étude des différents outils juridiques disponibles pour mutualiser : groupements "
       "d'employeurs, services communs, conventions de prestations, SIVU (syndicat "
       "intercommunal à vocation unique)", "s1", "opportunity"),
      ("secteur associatif : chiffrage du coût du passage en régie directe, accompagnement à "
       "la réflexion des communes sur l'avenir et les évolutions possibles de leur "
       "association", "year", "feasibility"),
      ("secteur public et secteur associatif : chiffrage du coût potentiel du passage à un "
       "établissement commun type SIVU", "year", "feasibility"),
      ("réflexion sur le projet pédagogique territorial et réflexion sur le couple "
       "mutualisation/préservation des identités locales (visites d'écoles de musique "
       "mutualisées d'autres territoires, mobilisation éventuelle d'un diagnostic-action par "
       "un accompagnement extérieur)", "year", "other"),
      ("septembre 2017 : entrée de la commune de Coulaines dans le SIVU : Etablissement "
       "d'enseignement artistique (EEA) « Django Reinhardt »", "s2", "other"),
      ("ouverture de discussions internes à l'EEA également ouvertes à toutes les écoles de "
       "musique sur le projet pédagogique, la gouvernance, la répartition des coûts, la "
       "solidarité en vue de la création éventuelle d'un ensemble de plus grande taille "
       "suivant les orientations prises par les discussions", "s2", "other")]),
]


def load_demo_plan() -> bool:
    """Create what is missing of the demo plan; True if anything was created."""
    created = False
    plan = db.session.scalar(select(Plan).where(Plan.title == PLAN_TITLE,
                                                Plan.first_year == 2014))
    if plan is None:
        plan = Plan(title=PLAN_TITLE, first_year=2014, last_year=2020, description=(
            "Adopté par délibération du 12 avril 2016 ; un état d'avancement est présenté "
            "chaque année avec le budget (loi du 16 décembre 2010)."))
        db.session.add(plan)
        db.session.flush()
        created = True
    for number, title, axis, slugs, reminder, objectives in ACTIONS:
        action = db.session.scalar(select(PlanAction).where(PlanAction.plan_id == plan.id,
                                                            PlanAction.number == number))
        if action is None:
            networks = list(db.session.scalars(select(Network).where(Network.slug.in_(slugs))))
            action = PlanAction(plan_id=plan.id, number=number, title=title, axis=axis,
                                networks=networks)
            db.session.add(action)
            db.session.flush()
            created = True
        if db.session.get(ActionReminder, (action.id, 2016)) is None:
            db.session.add(ActionReminder(action_id=action.id, year=2016, text=reminder,
                                          text_html=str(render_markdown(reminder))))
            created = True
        existing = set(db.session.scalars(select(Objective.number).where(
            Objective.action_id == action.id, Objective.year == 2017)))
        for index, (text, semester, kind) in enumerate(objectives, start=1):
            if index not in existing:
                db.session.add(Objective(action_id=action.id, year=2017, number=index,
                                         title=text, semester=semester, kind=kind))
                created = True
    db.session.flush()
    return created
