"""Demo documents: small real files of several types (Markdown, text, CSV, PDF, ODT, ODS,
PNG), made here with the libraries the product already uses (fpdf2, odfpy, Pillow), and
uploaded through the library's own path (type sniffing, store, extraction job)."""
from __future__ import annotations

import io
from collections.abc import Callable

from sqlalchemy import select

from workspace.demo.gatherings import BUILDING, IT, network, user
from workspace.documents import service, uploads
from workspace.documents.models import Document, Folder
from workspace.documents.names import title_from_filename
from workspace.extensions import db


def markdown(text: str) -> bytes:
    return text.encode()


def pdf(title: str, paragraphs: list[str]) -> bytes:
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", "B", 16)
    document.multi_cell(0, 10, title)
    document.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        document.ln(3)
        document.multi_cell(0, 6, paragraph)
    return bytes(document.output())


def odt(title: str, paragraphs: list[str]) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=title))
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def ods(rows: list[list[str]]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Relevés")
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def png(bars: list[int], colour: tuple[int, int, int]) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 180), "white")
    draw = ImageDraw.Draw(image)
    width = 300 // len(bars)
    for index, value in enumerate(bars):
        left = 10 + index * width
        draw.rectangle([left, 170 - value, left + width - 8, 170], fill=colour)
    draw.line([10, 170, 310, 170], fill="black", width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


MINUTES_TEXT = ["Présents : Coulaines, Allonnes, Mulsanne, Arnage, Le Mans Métropole.",
                "Quota de 10 Go retenu pour les boîtes partagées ; migration de Mulsanne et "
                "d'Arnage au premier trimestre.",
                "Prochaine réunion : démonstration de la GED mutualisée."]

# network -> folder -> [(file name, uploader, maker)]
FILES: dict[str, dict[str, list[tuple[str, str, Callable[[], bytes]]]]] = {
    IT: {
        "Messagerie": [
            ("Procédure d'archivage des boîtes partagées.md", "informatique.mulsanne",
             lambda: markdown("# Archiver une boîte partagée\n\n1. Exporter l'année écoulée "
                              "au format TGZ.\n2. Déposer l'archive sur le serveur de "
                              "fichiers.\n3. Vider le dossier « Archives » de la boîte.\n\n"
                              "À faire **chaque janvier**.\n")),
            ("Quotas Zimbra par commune.csv", "coordination.informatique",
             lambda: markdown("Commune;Boîtes;Boîtes partagées;Quota (Go)\nCoulaines;38;4;10\n"
                              "Allonnes;72;6;10\nMulsanne;25;3;10\nArnage;31;2;10\n")),
            ("Guide Zimbra pour les élus.pdf", "coordination.informatique",
             lambda: pdf("Guide Zimbra pour les élus", [
                 "Se connecter au webmail depuis la mairie ou depuis chez soi.",
                 "Partager son agenda avec le secrétariat et déléguer l'envoi.",
                 "Retrouver un message archivé : la recherche porte sur tous les dossiers."])),
            ("Paramétrer les délégations.txt", "informatique.coulaines",
             lambda: markdown("Délégations Zimbra\n\nPréférences > Comptes > Délégations : "
                              "ajouter l'agent, cocher « Envoyer en tant que ».\n")),
            ("Calendrier de migration.ods", "informatique.arnage",
             lambda: ods([["Commune", "Étape", "Date"], ["Mulsanne", "Comptes créés", "janvier"],
                          ["Mulsanne", "Bascule", "février"], ["Arnage", "Bascule", "mars"]])),
        ],
        "Sécurité et RGPD": [
            ("Charte informatique type.odt", "informatique.allonnes",
             lambda: odt("Charte informatique type", [
                 "La présente charte s'applique à tous les agents et élus de la commune.",
                 "Les mots de passe comptent au moins douze caractères et ne sont jamais "
                 "partagés.", "Les données personnelles ne quittent pas les serveurs de la "
                 "commune sans l'accord du délégué à la protection des données."])),
            ("Modèle de registre des traitements.ods", "coordination.informatique",
             lambda: ods([["Traitement", "Finalité", "Durée de conservation"],
                          ["État civil", "Actes", "Illimitée"],
                          ["Liste électorale", "Élections", "Jusqu'à la révision"],
                          ["Cantine scolaire", "Facturation", "5 ans"]])),
            ("Tester une restauration.md", "informatique.allonnes",
             lambda: markdown("# Tester une restauration\n\n- choisir un dossier témoin ;\n"
                              "- le restaurer dans un dossier vide ;\n- comparer les "
                              "empreintes des fichiers ;\n- noter la durée dans le registre."
                              "\n\nAllonnes : **4 h** pour le serveur de fichiers complet.\n")),
            ("Rotation des sauvegardes.pdf", "informatique.arnage",
             lambda: pdf("Rotation des sauvegardes", [
                 "Quotidienne : 7 jours. Hebdomadaire : 4 semaines. Mensuelle : 12 mois.",
                 "Une copie hors site chaque semaine, chiffrée.",
                 "Un test de restauration par trimestre."])),
            ("Sensibilisation à l'hameçonnage.txt", "coordination.informatique",
             lambda: markdown("Cinq signes d'un message d'hameçonnage :\n- une urgence ;\n"
                              "- un expéditeur inconnu ;\n- un lien qui ne mène pas où il dit ;"
                              "\n- une pièce jointe inattendue ;\n- une demande de mot de "
                              "passe.\n")),
        ],
        "Comptes rendus": [
            ("Compte rendu réunion messagerie.pdf", "coordination.informatique",
             lambda: pdf("Compte rendu : réunion messagerie Zimbra", MINUTES_TEXT)),
            ("Compte rendu réunion sauvegardes.odt", "coordination.informatique",
             lambda: odt("Compte rendu : sauvegardes et RGPD", [
                 "Allonnes a testé une restauration complète.",
                 "Registre des traitements commencé à Coulaines et Allonnes."])),
        ],
        "GED": [
            ("Plan de classement des délibérations.md", "informatique.mulsanne",
             lambda: markdown("# Plan de classement\n\n## Délibérations\n\n- par année ;\n"
                              "- puis par séance ;\n- nom : `AAAA-MM-JJ_numero_objet.pdf`.\n")),
            ("Parc de postes par commune.png", "informatique.arnage",
             lambda: png([60, 120, 45, 80], (11, 79, 108))),
        ],
    },
    BUILDING: {
        "Énergie": [
            ("Consommations des écoles.ods", "dst.coulaines",
             lambda: ods([["École", "Gaz 2023 (MWh)", "Gaz 2024 (MWh)"],
                          ["Jean-Moulin", "182", "149"], ["Les Tilleuls", "96", "80"]])),
            ("Note sur le décret tertiaire.pdf", "coordination.patrimoine",
             lambda: pdf("Décret tertiaire : ce que doivent faire les communes", [
                 "Bâtiments concernés : activité tertiaire de plus de 1 000 m2.",
                 "Objectifs : -40 % en 2030, -50 % en 2040, -60 % en 2050.",
                 "Déclaration annuelle des consommations sur la plateforme OPERAT."])),
            ("Retour d'expérience chaudières à condensation.md", "dst.coulaines",
             lambda: markdown("# Chaudières à condensation\n\nDeux écoles équipées en 2024 :"
                              "\n\n- **-18 %** de gaz la première année ;\n- retour sur "
                              "investissement estimé à 9 ans.\n")),
            ("Relevés de compteurs.csv", "batiments.mulsanne",
             lambda: markdown("Bâtiment;Date;Index\nMairie;2025-01-05;48211\n"
                              "Salle des fêtes;2025-01-05;12877\n")),
            ("Courbe de consommation.png", "batiments.ruaudin",
             lambda: png([120, 100, 90, 60, 40, 30], (200, 120, 20))),
        ],
        "Assistance à maîtrise d'ouvrage": [
            ("Missions d'une cellule AMO.odt", "coordination.patrimoine",
             lambda: odt("Missions d'une cellule d'assistance à maîtrise d'ouvrage", [
                 "Aider la commune à définir son besoin et son programme.",
                 "Choisir la procédure et rédiger les pièces du marché.",
                 "Suivre les études et le chantier jusqu'à la réception."])),
            ("Programme type de travaux.txt", "dst.allonnes",
             lambda: markdown("Programme de travaux\n\n1. Contexte et objectifs\n2. Surfaces"
                              "\n3. Contraintes du site\n4. Budget et calendrier\n")),
        ],
        "Comptes rendus": [
            ("Compte rendu réunion énergie.pdf", "coordination.patrimoine",
             lambda: pdf("Compte rendu : énergie dans les écoles", [
                 "Coulaines : -18 % de gaz après remplacement des chaudières.",
                 "Un tableau commun de suivi des consommations sera tenu par le réseau."])),
        ],
    },
}


def _folder(net, owner, name: str) -> Folder:
    folder = db.session.scalar(select(Folder).where(
        Folder.network_id == net.id, Folder.parent_id.is_(None), Folder.name == name,
        Folder.deleted_at.is_(None)))
    return folder or service.create_folder(owner, net, None, name)


def load_demo_documents() -> bool:
    """Upload what is missing (by title in its network); True if anything was created."""
    created = False
    for slug, folders in FILES.items():
        net = network(slug)
        titles = set(db.session.scalars(select(Document.title).where(
            Document.network_id == net.id)))
        for folder_name, files in folders.items():
            folder = None
            for filename, uploader, make in files:
                if title_from_filename(filename)[:200] in titles:
                    continue
                folder = folder or _folder(net, user(uploader), folder_name)
                report = uploads.upload_documents(user(uploader), net, folder, [
                    (filename, uploads.incoming_bytes(make()))])
                if report.refused:
                    raise RuntimeError(f"demo document refused: {report.refused}")
                created = True
    return created
