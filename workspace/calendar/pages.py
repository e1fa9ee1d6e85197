"""What the calendar pages show: the days of a month or an ISO week (Europe/Paris), and the
meetings, workshops, action items due and plan objectives due on each day, for a set of
networks. Plain functions: the views only read the query string and render."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from workspace.core.inputs import FIRST_YEAR, LAST_YEAR
from workspace.core.timezones import PARIS
from workspace.extensions import db
from workspace.meetings.models import ACTION_OPEN, ActionItem, Meeting
from workspace.networks.models import Membership, Network
from workspace.plan.models import (
    SEMESTER_FIRST,
    STATUS_DONE,
    STATUS_DROPPED,
    Objective,
    PlanAction,
    plan_action_networks,
)
from workspace.workshops.models import Workshop

MEETING, WORKSHOP, ACTION_DUE, OBJECTIVE_DUE = "meeting", "workshop", "action", "objective"
MAX_EVENTS_PER_DAY = 50  # a day with more shows "and n more" (a page must stay readable)


@dataclass(frozen=True)
class CalendarEvent:
    kind: str  # MEETING, WORKSHOP, ACTION_DUE, OBJECTIVE_DUE
    day: date  # the Paris day it falls on (a deadline: the day it is due)
    title: str
    network: Network
    endpoint: str  # where the event's page is, with url_args
    url_args: tuple[tuple[str, int | str], ...]
    starts_at: datetime | None = None  # Paris time, for meetings and workshops
    is_cancelled: bool = False


# --- reading ?month= and ?week= ---------------------------------------------------------

def parse_month(raw: str | None) -> date | None:
    """"2027-03" → 1 March 2027, within the product's years; None for anything else."""
    text = (raw or "").strip()
    if len(text) != 7 or text[4] != "-" or not (text[:4] + text[5:]).isascii():
        return None
    year, month = text[:4], text[5:]
    if not (year.isdigit() and month.isdigit()):
        return None
    if not (FIRST_YEAR <= int(year) <= LAST_YEAR and 1 <= int(month) <= 12):
        return None
    return date(int(year), int(month), 1)


def parse_week(raw: str | None) -> date | None:
    """"2027-W10" (ISO 8601) → the Monday of that week, within the product's years; None for
    anything else (week 53 of a year that has 52 included)."""
    text = (raw or "").strip().upper()
    if len(text) != 8 or text[4:6] != "-W" or not text.isascii():
        return None
    year, week = text[:4], text[6:]
    if not (year.isdigit() and week.isdigit()) or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return None
    try:
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return None


def month_param(first: date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def week_param(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year:04d}-W{week:02d}"


def today_in_paris(now: datetime | None = None) -> date:
    return (now or datetime.now(PARIS)).astimezone(PARIS).date()


def add_months(first: date, count: int) -> date | None:
    """The first day of the month `count` months away; None outside the product's years."""
    index = first.year * 12 + first.month - 1 + count
    year, month = divmod(index, 12)
    return date(year, month + 1, 1) if FIRST_YEAR <= year <= LAST_YEAR else None


def add_weeks(monday: date, count: int) -> date | None:
    moved = monday + timedelta(weeks=count)
    return moved if FIRST_YEAR <= moved.isocalendar()[0] <= LAST_YEAR else None


def month_weeks(first: date) -> list[list[date]]:
    """The weeks (Monday to Sunday) that hold a day of the month, for a month table."""
    start = first - timedelta(days=first.weekday())
    following = add_months(first, 1) or date(LAST_YEAR + 1, 1, 1)
    weeks = []
    while start < following:
        weeks.append([start + timedelta(days=offset) for offset in range(7)])
        start += timedelta(days=7)
    return weeks


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=offset) for offset in range(7)]


@dataclass(frozen=True)
class Period:
    """The days a page shows: a month (first = its 1st) or a week (first = its Monday).
    `invalid` says the query string asked for something that is not a month or a week, and
    the page fell back to today's."""

    mode: str  # "month" or "week"
    first: date
    invalid: bool = False

    @property
    def last(self) -> date:
        if self.mode == "week":
            return self.first + timedelta(days=6)
        following = add_months(self.first, 1)
        return (following - timedelta(days=1)) if following else date(LAST_YEAR, 12, 31)

    def moved(self, count: int) -> Period | None:
        """The previous (-1) or next (+1) month or week; None past the product's years."""
        first = (add_weeks(self.first, count) if self.mode == "week"
                 else add_months(self.first, count))
        return Period(self.mode, first) if first else None

    @property
    def param(self) -> dict[str, str]:
        """The query string that shows this period."""
        return ({"week": week_param(self.first)} if self.mode == "week"
                else {"month": month_param(self.first)})


def choose_period(month: str | None, week: str | None, today: date) -> Period:
    """?week= (when given) or ?month=; nothing, or an empty value, is today's month; a value
    that is not a month or a week is today's month or week, marked invalid."""
    if week is not None and week.strip():
        monday = parse_week(week)
        fallback = today - timedelta(days=today.weekday())
        return Period("week", monday or fallback, invalid=monday is None)
    first = parse_month(month) if month is not None and month.strip() else None
    return Period("month", first or today.replace(day=1),
                  invalid=first is None and bool((month or "").strip()))


# --- what happens on those days ---------------------------------------------------------

def member_network_ids(user) -> set[int]:
    """The networks the user belongs to and may still see (archived ones left out)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(select(Network.id).join(
        Membership, Membership.network_id == Network.id).where(
        Membership.user_id == user.id, Network.is_archived.is_(False))))


def _utc_bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """From midnight of the first day to midnight after the last, Paris time."""
    start = datetime.combine(first_day, time(), PARIS)
    end = datetime.combine(last_day + timedelta(days=1), time(), PARIS)
    return start, end


def objective_due_on(objective: Objective) -> date:
    """A plan objective is due at the end of its semester (30 June), or of its year."""
    return date(objective.year, 6, 30) if objective.semester == SEMESTER_FIRST else date(
        objective.year, 12, 31)


def events_between(network_ids: set[int], first_day: date, last_day: date
                   ) -> dict[date, list[CalendarEvent]]:
    """Paris day -> what happens in these networks that day, in time order (timed events
    first, then deadlines). Cancelled meetings and workshops stay, marked, so that nobody
    wonders where they went."""
    if not network_ids:
        return {}
    networks = {network.id: network for network in db.session.scalars(
        select(Network).where(Network.id.in_(network_ids)))}
    start, end = _utc_bounds(first_day, last_day)
    found: list[CalendarEvent] = []
    for kind, model, endpoint, key in ((MEETING, Meeting, "meetings.meeting_detail",
                                        "meeting_id"),
                                       (WORKSHOP, Workshop, "workshops.workshop_detail",
                                        "workshop_id")):
        for item in db.session.scalars(select(model).where(
                model.network_id.in_(network_ids), model.starts_at >= start,
                model.starts_at < end).order_by(model.starts_at, model.id)):
            local = item.starts_at.astimezone(PARIS)
            network = networks[item.network_id]
            found.append(CalendarEvent(kind, local.date(), item.title, network, endpoint,
                                       (("network_slug", network.slug), (key, item.id)),
                                       starts_at=local, is_cancelled=item.is_cancelled))
    for item in db.session.scalars(select(ActionItem).where(
            ActionItem.network_id.in_(network_ids), ActionItem.status == ACTION_OPEN,
            ActionItem.due_on >= first_day, ActionItem.due_on <= last_day)
            .order_by(ActionItem.due_on, ActionItem.id)):
        network = networks[item.network_id]
        found.append(CalendarEvent(ACTION_DUE, item.due_on, item.title, network,
                                   "meetings.action_list", (("network_slug", network.slug),)))
    found.extend(_objectives_due(network_ids, networks, first_day, last_day))
    by_day: dict[date, list[CalendarEvent]] = defaultdict(list)
    for event in sorted(found, key=lambda e: (e.day, e.starts_at is None,
                                              e.starts_at or datetime.min.replace(tzinfo=PARIS),
                                              e.title)):
        by_day[event.day].append(event)
    return dict(by_day)


def _objectives_due(network_ids: set[int], networks: dict[int, Network], first_day: date,
                    last_day: date) -> list[CalendarEvent]:
    """Plan objectives still open whose semester ends within the days, once per network of
    their action that is among `network_ids`."""
    rows = db.session.execute(select(Objective, plan_action_networks.c.network_id)
                              .join(PlanAction, Objective.action_id == PlanAction.id)
                              .join(plan_action_networks,
                                    plan_action_networks.c.action_id == PlanAction.id)
                              .where(plan_action_networks.c.network_id.in_(network_ids),
                                     Objective.year.between(first_day.year, last_day.year),
                                     Objective.status.not_in((STATUS_DONE, STATUS_DROPPED)))
                              .order_by(Objective.action_id, Objective.number))
    events = []
    for objective, network_id in rows:
        due = objective_due_on(objective)
        if first_day <= due <= last_day:
            network = networks[network_id]
            events.append(CalendarEvent(
                OBJECTIVE_DUE, due, objective.title, network, "plans.action_detail",
                (("plan_action_id", objective.action_id), ("year", objective.year))))
    return events
