"""Date polls: opening, answering, the table of answers, concluding into a meeting or a
workshop, cancelling, reminders.

Answering, concluding and cancelling take the poll row's write lock first (`lock_row`), so
that an answer and the conclusion are never interleaved: an answer either comes before the
conclusion (and is counted in it) or after (and is refused with a message). Two submissions
of the same person are serialised by the same lock; the unique constraints on
(poll, user) and (slot, user) are the last guard. Services flush, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from slugify import slugify
from sqlalchemy import and_, select, update
from sqlalchemy.orm import selectinload

from workspace.auth.models import User
from workspace.core.errors import DomainError, PermissionDenied
from workspace.core.models import utcnow
from workspace.core.transactions import lock_row
from workspace.extensions import db
from workspace.networks.models import Membership, Network
from workspace.notifications import service as notifications
from workspace.polls import access
from workspace.polls.models import (
    ASK_CHOSEN,
    ASK_NETWORK,
    CANCELLED,
    CHOICES,
    CLOSED,
    CONCLUDED,
    FOR_MEETING,
    MAYBE,
    NO,
    OPEN,
    SHOW_COORDINATORS,
    SHOW_MEMBERS,
    TARGETS,
    YES,
    Poll,
    PollAnswer,
    PollCommune,
    PollInvitee,
    PollResponse,
    PollSlot,
)

MAX_SLOTS = 30
REMINDER_BEFORE = timedelta(hours=24)  # those who have not answered are reminded then


@dataclass
class PollData:
    title: str
    closes_at: datetime  # UTC
    slots: list[tuple[datetime, datetime]]  # UTC
    description: str = ""
    location: str = ""
    video_url: str = ""
    target: str = FOR_MEETING
    audience: str = ASK_NETWORK
    answers_shown_to: str = SHOW_MEMBERS
    people_ids: list[int] = field(default_factory=list)
    commune_ids: list[int] = field(default_factory=list)


def check_poll(data: PollData, now: datetime | None = None) -> list[str]:
    """Every reason the poll cannot be opened, in French (empty: it can)."""
    now = now or utcnow()
    problems = []
    if not data.title.strip():
        problems.append(_("Donnez un titre au sondage."))
    if not data.location.strip() and not data.video_url.strip():
        problems.append(_("Indiquez un lieu ou un lien de visioconférence."))
    if len(data.slots) < 2:
        problems.append(_("Proposez au moins deux créneaux."))
    if len(data.slots) > MAX_SLOTS:
        problems.append(_("%(max)d créneaux au plus.", max=MAX_SLOTS))
    if len(set(data.slots)) != len(data.slots):
        problems.append(_("Deux créneaux sont identiques."))
    for starts, ends in data.slots:
        if ends <= starts:
            problems.append(_("La fin d'un créneau doit être après son début."))
            break
    if any(starts <= now for starts, _ends in data.slots):
        problems.append(_("Les créneaux doivent être à venir."))
    if data.closes_at <= now:
        problems.append(_("La clôture du sondage doit être à venir."))
    elif data.slots and data.closes_at > min(starts for starts, _ends in data.slots):
        problems.append(_("Le sondage doit se clore avant le premier créneau."))
    if data.target not in TARGETS or data.audience not in (ASK_NETWORK, ASK_CHOSEN) \
            or data.answers_shown_to not in (SHOW_MEMBERS, SHOW_COORDINATORS):
        problems.append(_("Choix inconnu."))
    if data.audience == ASK_CHOSEN and not data.people_ids and not data.commune_ids:
        problems.append(_("Choisissez au moins une personne ou une commune."))
    return problems


def open_poll(actor: User, network: Network, data: PollData) -> Poll:
    """Open the poll and invite those it asks (through their notification preferences)."""
    if not access.can_open_polls(actor, network):
        raise PermissionDenied(_("Seuls les coordinateurs ouvrent des sondages."))
    problems = check_poll(data)
    if problems:
        raise DomainError(problems[0])
    poll = Poll(network_id=network.id, organizer_id=actor.id, title=data.title.strip()[:200],
                description=data.description.strip(), location=data.location.strip()[:300],
                video_url=data.video_url.strip()[:500], target=data.target,
                audience=data.audience, answers_shown_to=data.answers_shown_to,
                closes_at=data.closes_at, status=OPEN, lock_version=0)
    poll.slots = [PollSlot(starts_at=starts, ends_at=ends) for starts, ends in data.slots]
    db.session.add(poll)
    db.session.flush()
    if data.audience == ASK_CHOSEN:
        members = set(db.session.scalars(select(Membership.user_id).where(
            Membership.network_id == network.id, Membership.user_id.in_(data.people_ids))))
        db.session.add_all(PollInvitee(poll_id=poll.id, user_id=user_id)
                           for user_id in sorted(members))
        db.session.add_all(PollCommune(poll_id=poll.id, organisation_id=organisation_id)
                           for organisation_id in sorted(set(data.commune_ids)))
        db.session.flush()
    notifications.notify("poll_opened", access.member_ids_asked(poll), network=network,
                         target_type="poll", target_id=poll.id, actor=actor)
    return poll


def _locked(poll_id: int) -> Poll:
    lock_row(Poll, poll_id)
    return db.session.get(Poll, poll_id, populate_existing=True)


def answer_poll(user: User, poll_id: int, choices: dict[int, str], comment: str = "",
                now: datetime | None = None) -> PollResponse:
    """Record (or change) the user's answers. Slots left out keep their earlier answer."""
    poll = _locked(poll_id)
    if not access.can_see_poll(user, poll):
        raise PermissionDenied(_("Seuls les membres du réseau répondent aux sondages."))
    if not access.is_asked(user, poll):
        raise PermissionDenied(_("Ce sondage ne vous est pas adressé."))
    if not access.is_open(poll, now):
        raise DomainError(_("Le sondage est clos : votre réponse n'a pas été enregistrée."))
    slot_ids = {slot.id for slot in poll.slots}
    if not choices:
        raise DomainError(_("Répondez pour au moins un créneau."))
    if set(choices) - slot_ids or set(choices.values()) - set(CHOICES):
        raise DomainError(_("Réponse inconnue."))
    existing = {row.slot_id: row for row in db.session.scalars(select(PollAnswer).where(
        PollAnswer.poll_id == poll.id, PollAnswer.user_id == user.id))}
    for slot_id, choice in sorted(choices.items()):
        row = existing.get(slot_id)
        if row is None:
            db.session.add(PollAnswer(poll_id=poll.id, slot_id=slot_id, user_id=user.id,
                                      choice=choice))
        else:
            row.choice = choice
    response = db.session.scalar(select(PollResponse).where(
        PollResponse.poll_id == poll.id, PollResponse.user_id == user.id))
    if response is None:
        response = PollResponse(poll_id=poll.id, user_id=user.id)
        db.session.add(response)
    response.comment = (comment or "").strip()[:1000]
    response.answered_at = utcnow()
    db.session.flush()
    return response


def answers_of(user: User, poll: Poll) -> tuple[dict[int, str], str]:
    """The user's choice per slot and comment."""
    rows = db.session.execute(select(PollAnswer.slot_id, PollAnswer.choice).where(
        PollAnswer.poll_id == poll.id, PollAnswer.user_id == user.id)).all()
    comment = db.session.scalar(select(PollResponse.comment).where(
        PollResponse.poll_id == poll.id, PollResponse.user_id == user.id))
    return dict(rows), comment or ""


# --- the table -------------------------------------------------------------------------

@dataclass
class SlotTally:
    slot: PollSlot
    yes: int = 0
    maybe: int = 0
    no: int = 0
    covered: list[str] = field(default_factory=list)  # communes with someone yes / if need be
    missing: list[str] = field(default_factory=list)  # asked communes with nobody


@dataclass
class PersonRow:
    user: User
    commune: str
    choices: dict[int, str]
    comment: str
    answered: bool


@dataclass
class PollTable:
    slots: list[SlotTally]
    people: list[PersonRow]
    communes: list[str]  # the communes of the people asked
    asked: int
    answered: int

    @property
    def best(self) -> SlotTally | None:
        """The slot most can attend (yes, then if need be), None before any answer."""
        ranked = sorted(self.slots, key=lambda t: (-t.yes - t.maybe, -t.yes, len(t.missing)))
        return ranked[0] if ranked and (ranked[0].yes or ranked[0].maybe) else None


def _commune(user: User) -> str:
    return user.organisation.name if user.organisation is not None else ""


def poll_table(poll: Poll) -> PollTable:
    """Counts, communes covered and each person's answers. Responses and their answers come
    from one statement: a response given while the page is built is on it whole or not at
    all."""
    asked_ids = set(access.member_ids_asked(poll))
    rows = db.session.execute(
        select(PollResponse, PollAnswer.slot_id, PollAnswer.choice)
        .outerjoin(PollAnswer, and_(PollAnswer.poll_id == PollResponse.poll_id,
                                    PollAnswer.user_id == PollResponse.user_id))
        .options(selectinload(PollResponse.user).selectinload(User.organisation))
        .where(PollResponse.poll_id == poll.id)).all()
    people: dict[int, PersonRow] = {}
    for response, slot_id, choice in rows:
        person = people.setdefault(response.user_id, PersonRow(
            response.user, _commune(response.user), {}, response.comment, True))
        if slot_id is not None:
            person.choices[slot_id] = choice
    waiting = [user_id for user_id in asked_ids if user_id not in people]
    if waiting:
        for user in db.session.scalars(select(User).where(User.id.in_(waiting))
                                       .options(selectinload(User.organisation))):
            people[user.id] = PersonRow(user, _commune(user), {}, "", False)
    communes = sorted({person.commune for person in people.values()
                       if person.commune and (person.user.id in asked_ids or person.answered)},
                      key=slugify)
    tallies = []
    for slot in poll.slots:
        tally = SlotTally(slot)
        covered = set()
        for person in people.values():
            choice = person.choices.get(slot.id)
            if choice == YES:
                tally.yes += 1
            elif choice == MAYBE:
                tally.maybe += 1
            elif choice == NO:
                tally.no += 1
            if choice in (YES, MAYBE) and person.commune:
                covered.add(person.commune)
        tally.covered = [name for name in communes if name in covered]
        tally.missing = [name for name in communes if name not in covered]
        tallies.append(tally)
    ordered = sorted(people.values(), key=lambda p: (
        not p.commune, slugify(p.commune), slugify(p.user.last_name), slugify(p.user.first_name),
        p.user.id))
    return PollTable(tallies, ordered, communes, len(asked_ids),
                     sum(1 for person in people.values() if person.answered))


# --- concluding and cancelling ---------------------------------------------------------

def _conclusion_checks(actor: User, poll: Poll, slot_id: int) -> PollSlot:
    if not access.can_manage_poll(actor, poll):
        raise PermissionDenied(_("Seuls les coordinateurs concluent un sondage."))
    if poll.status not in (OPEN, CLOSED):
        raise DomainError(_("Ce sondage est déjà conclu ou annulé."))
    slot = next((slot for slot in poll.slots if slot.id == slot_id), None)
    if slot is None:
        raise DomainError(_("Choisissez un des créneaux du sondage."))
    return slot


def _answers_for(poll: Poll, slot: PollSlot) -> list[tuple[User, str]]:
    """Who said yes or if need be for the slot, still members of the network."""
    return [tuple(row) for row in db.session.execute(
        select(User, PollAnswer.choice).join(PollAnswer, PollAnswer.user_id == User.id)
        .join(Membership, and_(Membership.user_id == User.id,
                               Membership.network_id == poll.network_id))
        .where(PollAnswer.slot_id == slot.id, PollAnswer.choice.in_((YES, MAYBE)),
               User.is_active.is_(True)).order_by(User.id))]


def _finish(actor: User, poll: Poll, slot: PollSlot, network: Network) -> None:
    poll.status, poll.chosen_slot_id, poll.ended_at = CONCLUDED, slot.id, utcnow()
    db.session.flush()
    notifications.notify("poll_concluded", access.member_ids_asked(poll), network=network,
                         target_type="poll", target_id=poll.id, actor=actor)


def conclude_with_meeting(actor: User, poll_id: int, slot_id: int, data):
    """The chosen slot becomes a meeting (`data`: meetings.service.MeetingData, pre-filled
    from the poll and confirmed by the coordinator). Yes and if-need-be answers become the
    meeting's first answers ("je viens", "peut-être")."""
    from workspace.meetings import service as meetings
    from workspace.meetings.models import ANSWER_MAYBE, ANSWER_YES, Rsvp

    poll = _locked(poll_id)
    _conclusion_checks(actor, poll, slot_id)
    slot = next(slot for slot in poll.slots if slot.id == slot_id)
    network = db.session.get(Network, poll.network_id)
    meeting = meetings.save_meeting(actor, network, None, data)
    for user, choice in _answers_for(poll, slot):
        db.session.add(Rsvp(meeting_id=meeting.id, user_id=user.id, answered_at=utcnow(),
                            answer=ANSWER_YES if choice == YES else ANSWER_MAYBE))
    poll.meeting_id = meeting.id
    _finish(actor, poll, slot, network)
    return meeting


def conclude_with_workshop(actor: User, poll_id: int, slot_id: int, data):
    """The chosen slot becomes a workshop (`data`: workshops.service.WorkshopData). Those
    who said yes are registered (confirmed while seats last, then waiting); those who said
    if need be are invited to register."""
    from workspace.workshops import service as workshops

    poll = _locked(poll_id)
    _conclusion_checks(actor, poll, slot_id)
    slot = next(slot for slot in poll.slots if slot.id == slot_id)
    network = db.session.get(Network, poll.network_id)
    workshop = workshops.save_workshop(actor, network, None, data)
    db.session.flush()
    for user, choice in _answers_for(poll, slot):
        if choice == YES:
            workshops.register(user, workshop.id)
    poll.workshop_id = workshop.id
    _finish(actor, poll, slot, network)
    return workshop


def cancel_poll(actor: User, poll_id: int) -> Poll:
    """Nobody answers any more; those asked are told."""
    poll = _locked(poll_id)
    if not access.can_manage_poll(actor, poll):
        raise PermissionDenied(_("Seuls les coordinateurs annulent un sondage."))
    if poll.status not in (OPEN, CLOSED):
        raise DomainError(_("Ce sondage est déjà conclu ou annulé."))
    poll.status, poll.ended_at = CANCELLED, utcnow()
    db.session.flush()
    notifications.notify("poll_cancelled", access.member_ids_asked(poll),
                         network=db.session.get(Network, poll.network_id),
                         target_type="poll", target_id=poll.id, actor=actor)
    return poll


# --- reminders and the closing date ----------------------------------------------------

def close_expired(now: datetime) -> int:
    """Polls whose closing date has passed become "closed" (the dashboard and the search
    index stop offering them); the coordinator still concludes them."""
    result = db.session.execute(update(Poll).where(Poll.status == OPEN, Poll.closes_at <= now)
                                .values(status=CLOSED, ended_at=now)
                                .execution_options(synchronize_session=False))
    return result.rowcount or 0


def send_reminders(now: datetime) -> int:
    """Those asked who have not answered, once, REMINDER_BEFORE the closing date. Each poll
    is claimed with a conditional UPDATE, so two runs never remind twice."""
    due = db.session.scalars(select(Poll).where(
        Poll.status == OPEN, Poll.closes_at > now, Poll.closes_at <= now + REMINDER_BEFORE,
        Poll.reminder_sent_at.is_(None)).order_by(Poll.id)).all()
    reminded = 0
    for poll in due:
        claimed = db.session.execute(update(Poll).where(
            Poll.id == poll.id, Poll.reminder_sent_at.is_(None)).values(reminder_sent_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            continue
        answered = set(db.session.scalars(select(PollResponse.user_id).where(
            PollResponse.poll_id == poll.id)))
        silent = [user_id for user_id in access.member_ids_asked(poll)
                  if user_id not in answered]
        network = db.session.get(Network, poll.network_id)
        reminded += len(notifications.notify("poll_reminder", silent, network=network,
                                             target_type="poll", target_id=poll.id))
    return reminded


def sweep_job(payload: dict) -> None:
    """The periodic `polls.sweep` job: reminders first, then closing the expired polls."""
    now = utcnow()
    send_reminders(now)
    close_expired(now)


# --- lists -----------------------------------------------------------------------------

def polls_of(network: Network) -> tuple[list[Poll], list[Poll]]:
    """(open polls, by closing date; the others, newest first)."""
    polls = db.session.scalars(select(Poll).where(Poll.network_id == network.id)
                               .options(selectinload(Poll.slots))
                               .order_by(Poll.created_at.desc(), Poll.id.desc())).all()
    now = utcnow()
    running = sorted((p for p in polls if access.is_open(p, now)), key=lambda p: p.closes_at)
    return running, [p for p in polls if not access.is_open(p, now)]


def open_polls_asking(user: User, network_ids: list[int], now: datetime, limit: int = 8
                      ) -> list[tuple[Poll, Network, bool]]:
    """Open polls of these networks that ask the user, with whether they have answered
    (the dashboard); soonest closing first."""
    if not network_ids:
        return []
    answered = select(PollResponse.id).where(PollResponse.poll_id == Poll.id,
                                             PollResponse.user_id == user.id).exists()
    rows = db.session.execute(
        select(Poll, Network, answered).join(Network, Network.id == Poll.network_id)
        .join(Membership, and_(Membership.network_id == Poll.network_id,
                               Membership.user_id == user.id))
        .where(Poll.network_id.in_(network_ids), Poll.status == OPEN, Poll.closes_at > now,
               access.asked_condition(Poll, user))
        .order_by(Poll.closes_at, Poll.id).limit(limit))
    return [tuple(row) for row in rows]

