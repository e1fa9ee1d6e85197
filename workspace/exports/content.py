"""What each exported document says: a meeting's agenda and minutes, a workshop's
attendance sheet. The words are chosen here, once; pdf.py and odf.py only lay them out."""
from __future__ import annotations

from flask_babel import format_date, format_time, ngettext
from flask_babel import gettext as _
from slugify import slugify

from workspace.core.i18n import datetime_filter
from workspace.exports.blocks import (
    Block,
    Document,
    Heading,
    ItemList,
    ListItem,
    Paragraph,
    Table,
    markdown_blocks,
)
from workspace.meetings import service as meetings
from workspace.meetings.models import ActionItem, Meeting
from workspace.networks.models import Network
from workspace.workshops.models import Workshop
from workspace.workshops.roster import roster


def _when(item: Meeting | Workshop) -> str:
    """"jeudi 26 mars 2017 à 10:00 – 12:00" (Paris time, the reader's language)."""
    return f"{datetime_filter(item.starts_at, 'long')} – {format_time(item.ends_at, 'HH:mm')}"


def _filename(prefix: str, item: Meeting | Workshop) -> str:
    day = format_date(item.starts_at, "yyyy-MM-dd")
    return f"{prefix}-{slugify(item.title, max_length=60) or item.id}-{day}"


def _meeting_heading(meeting: Meeting, network: Network, kind: str) -> list[Block]:
    blocks: list[Block] = [Heading(meeting.title, 1),
                           Paragraph(f"{kind} · {network.name}", "meta"),
                           Paragraph(_("Date : %(when)s", when=_when(meeting)), "meta")]
    if meeting.location:
        blocks.append(Paragraph(_("Lieu : %(place)s", place=meeting.location), "meta"))
    if meeting.video_url:
        blocks.append(Paragraph(_("Visioconférence : %(url)s", url=meeting.video_url),
                                "meta"))
    if meeting.is_cancelled:
        blocks.append(Paragraph(_("Cette réunion est annulée."), "meta"))
    return blocks


def _due(item: ActionItem) -> str:
    return format_date(item.due_on, "short") if item.due_on else ""


def _actions_table(items: list[ActionItem], with_status: bool = False) -> Table:
    header = [_("Action"), _("Responsable"), _("Échéance")]
    labels = {"open": _("en cours"), "done": _("faite"), "dropped": _("abandonnée")}
    rows = [[item.title, item.owner_label, _due(item)] for item in items]
    if with_status:
        header.append(_("Statut"))
        for row, item in zip(rows, items, strict=False):
            row.append(labels.get(item.status, item.status))
    return Table(header, rows, widths=[5, 3, 2] + ([2] if with_status else []))


def meeting_agenda(meeting: Meeting, network: Network) -> Document:
    """Title, date, place, the agenda's points, then the open actions carried over."""
    blocks = _meeting_heading(meeting, network, _("Ordre du jour"))
    if meeting.description:
        blocks += markdown_blocks(meeting.description)
    blocks.append(Heading(_("Ordre du jour"), 2))
    if meeting.agenda:
        blocks.append(Table(
            [_("N°"), _("Point"), _("Présenté par"), _("Durée")],
            [[str(number), point.title, point.presenter,
              _("%(n)d min", n=point.duration_minutes) if point.duration_minutes else ""]
             for number, point in enumerate(meeting.agenda, start=1)],
            widths=[1, 7, 3, 1.5]))
    else:
        blocks.append(Paragraph(_("Aucun point n'est encore inscrit.")))
    carried = meetings.carried_actions(meeting)
    if carried:
        blocks.append(Heading(_("Actions en cours (reportées)"), 2))
        blocks.append(_actions_table(carried))
    return Document(title=meeting.title, subject=_("Ordre du jour"), blocks=blocks,
                    filename=_filename(_("ordre-du-jour"), meeting))


def _attendance(meeting: Meeting) -> list[Block]:
    """Who came, commune by commune (recorded attendance only)."""
    if not meeting.attendance_recorded:
        return [Paragraph(_("Les présences n'ont pas été relevées."))]
    rows = []
    for commune, people in meetings.answers_by_commune(meeting):
        present = [user.full_name for user, _answer, attended in people if attended]
        absent = [user.full_name for user, _answer, attended in people if not attended]
        rows.append([commune, ", ".join(present), ", ".join(absent)])
    return [Table([_("Commune"), _("Présents"), _("Absents")], rows, widths=[3, 5, 5])]


def meeting_minutes(meeting: Meeting, network: Network) -> Document:
    """Title, date, attendance, the minutes, decisions and the meeting's action items."""
    blocks = _meeting_heading(meeting, network, _("Compte rendu"))
    blocks.append(Heading(_("Présences"), 2))
    blocks += _attendance(meeting)
    blocks.append(Heading(_("Compte rendu"), 2))
    blocks += markdown_blocks(meeting.minutes) or [Paragraph(_("Le compte rendu est vide."))]
    decisions = meetings.decisions(meeting)
    if decisions:
        blocks.append(Heading(_("Décisions"), 2))
        blocks.append(ItemList([ListItem(decision.text, f"{number}.")
                                for number, decision in enumerate(decisions, start=1)]))
    actions = meetings.actions_of_meeting(meeting)
    if actions:
        blocks.append(Heading(_("Actions"), 2))
        blocks.append(_actions_table(actions, with_status=True))
    return Document(title=meeting.title, subject=_("Compte rendu"), blocks=blocks,
                    filename=_filename(_("compte-rendu"), meeting))


def workshop_sheet(workshop: Workshop, network: Network) -> Document:
    """The attendance sheet: confirmed people only, with room to sign."""
    blocks: list[Block] = [Heading(workshop.title, 1),
                           Paragraph(f"{_('Feuille d’émargement')} · {network.name}", "meta"),
                           Paragraph(_("Date : %(when)s", when=_when(workshop)), "meta")]
    if workshop.location:
        blocks.append(Paragraph(_("Lieu : %(place)s", place=workshop.location), "meta"))
    marks = {True: _("présent"), False: _("absent"), None: ""}
    confirmed = sorted(roster(workshop).confirmed,
                       key=lambda r: (r.user.last_name.casefold(), r.user.first_name.casefold()))
    rows = [[registration.user.full_name,
             registration.organisation.name if registration.organisation else "",
             marks[registration.attended], ""] for registration in confirmed]
    blocks.append(Table([_("Nom"), _("Commune"), _("Présence"), _("Signature")], rows,
                        widths=[4, 4, 2, 4], row_height=12, name=_("Émargement")))
    blocks.append(Paragraph(ngettext("%(num)d personne inscrite.", "%(num)d personnes inscrites.",
                                     len(rows)), "meta"))
    return Document(title=workshop.title, subject=_("Feuille d’émargement"), blocks=blocks,
                    filename=_filename(_("emargement"), workshop))
