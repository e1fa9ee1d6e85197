"""Meetings and workshops as iCalendar (RFC 5545) events, in Paris time with its VTIMEZONE.

Every event carries a stable UID and the object's SEQUENCE, so that a client which already
holds the event updates it (or removes it, STATUS:CANCELLED) instead of adding a copy.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress
from slugify import slugify
from sqlalchemy import select

from workspace.auth.models import User
from workspace.core.inputs import FIRST_YEAR, LAST_YEAR
from workspace.core.models import utcnow
from workspace.core.timezones import PARIS
from workspace.core.urls import public_url
from workspace.extensions import db
from workspace.meetings.models import ANSWER_YES, Meeting, Rsvp
from workspace.networks.models import Network
from workspace.workshops.models import CONFIRMED, Registration, Workshop

PRODID = "-//Le Mans Métropole//Tilt//FR"
TZID = "Europe/Paris"


def _host() -> str:
    return urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"


def event_uid(kind: str, object_id: int) -> str:
    """Stable across downloads and feeds: `meeting-12@tilt.lemansmetropole.fr`."""
    return f"{kind}-{object_id}@{_host()}"


def _address(user: User, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = user.full_name or user.email
    address.params.update(params)
    return address


def yes_attendees(meeting_ids: list[int]) -> dict[int, list[User]]:
    """meeting id -> the people who answered yes, in name order (one query)."""
    rows = db.session.execute(select(Rsvp.meeting_id, User).join(User, Rsvp.user_id == User.id)
                              .where(Rsvp.meeting_id.in_(meeting_ids),
                                     Rsvp.answer == ANSWER_YES)
                              .order_by(User.last_name, User.first_name, User.id))
    found: dict[int, list[User]] = defaultdict(list)
    for meeting_id, user in rows:
        found[meeting_id].append(user)
    return found


def confirmed_participants(workshop_ids: list[int]) -> dict[int, list[User]]:
    """workshop id -> the people whose registration is confirmed (one query)."""
    rows = db.session.execute(select(Registration.workshop_id, User)
                              .join(User, Registration.user_id == User.id)
                              .where(Registration.workshop_id.in_(workshop_ids),
                                     Registration.status == CONFIRMED)
                              .order_by(User.last_name, User.first_name, User.id))
    found: dict[int, list[User]] = defaultdict(list)
    for workshop_id, user in rows:
        found[workshop_id].append(user)
    return found


def _event(kind: str, item: Meeting | Workshop, network: Network, *, description: str,
           location: str, url: str, attendees: list[User]) -> Event:
    return Event.new(
        uid=event_uid(kind, item.id), sequence=item.sequence or 0, stamp=utcnow(),
        start=item.starts_at.astimezone(PARIS), end=item.ends_at.astimezone(PARIS),
        summary=item.title, description=description or None, location=location or None,
        url=url, status="CANCELLED" if item.is_cancelled else "CONFIRMED",
        categories=[network.name],
        organizer=_address(item.organizer) if item.organizer is not None else None,
        attendees=[_address(user, PARTSTAT="ACCEPTED", ROLE="REQ-PARTICIPANT")
                   for user in attendees])


def _meeting_description(meeting: Meeting, network: Network) -> str:
    lines = [meeting.description] if meeting.description else []
    if meeting.agenda:
        lines.append(_("Ordre du jour :"))
        for number, point in enumerate(meeting.agenda, start=1):
            extra = [part for part in (
                point.presenter,
                _("%(n)d min", n=point.duration_minutes) if point.duration_minutes else "")
                if part]
            lines.append(f"{number}. {point.title}" + (f" ({', '.join(extra)})" if extra else ""))
    if meeting.video_url:
        lines.append(_("Visioconférence : %(url)s", url=meeting.video_url))
    lines.append(_("Réseau : %(name)s", name=network.name))
    return "\n".join(lines)


def meeting_event(meeting: Meeting, network: Network, attendees: list[User]) -> Event:
    url = public_url("meetings.meeting_detail", network_slug=network.slug,
                     meeting_id=meeting.id)
    return _event("meeting", meeting, network,
                  description=_meeting_description(meeting, network),
                  location=meeting.location or meeting.video_url, url=url,
                  attendees=attendees)


def workshop_event(workshop: Workshop, network: Network, attendees: list[User]) -> Event:
    url = public_url("workshops.workshop_detail", network_slug=network.slug,
                     workshop_id=workshop.id)
    lines = [_("Thème : %(theme)s", theme=workshop.theme)] if workshop.theme else []
    if workshop.description:
        lines.append(workshop.description)
    lines.append(_("Réseau : %(name)s", name=network.name))
    return _event("workshop", workshop, network, description="\n".join(lines),
                  location=workshop.location, url=url, attendees=attendees)


def build_events(meetings: list[Meeting], workshops: list[Workshop]) -> list[Event]:
    """The VEVENTs of these meetings and workshops, in start order; networks and attendees
    are loaded in a few queries whatever the number of events."""
    network_ids = {item.network_id for item in [*meetings, *workshops]}
    networks = {network.id: network for network in db.session.scalars(
        select(Network).where(Network.id.in_(network_ids)))} if network_ids else {}
    answered_yes = yes_attendees([meeting.id for meeting in meetings]) if meetings else {}
    confirmed = confirmed_participants([w.id for w in workshops]) if workshops else {}
    dated = [(meeting.starts_at, meeting_event(meeting, networks[meeting.network_id],
                                               answered_yes.get(meeting.id, [])))
             for meeting in meetings]
    dated += [(workshop.starts_at, workshop_event(workshop, networks[workshop.network_id],
                                                  confirmed.get(workshop.id, [])))
              for workshop in workshops]
    return [event for _start, event in sorted(dated, key=lambda pair: pair[0])]


def to_ics(events: list[Event], *, uid: str, name: str | None = None,
           refresh: timedelta | None = None) -> bytes:
    """A VCALENDAR of the events with the Paris VTIMEZONE their DTSTART/DTEND refer to.

    The time zone is always included (with no event, it keeps the calendar non-empty, as
    RFC 5545 wants); its rules cover the events' years (within the product's range) and the
    next one, not 1970-2038, to keep feeds small."""
    calendar = Calendar.new(prodid=PRODID, method="PUBLISH", uid=uid, name=name,
                            refresh_interval=refresh)
    if refresh is not None:
        calendar.add("X-PUBLISHED-TTL", refresh)  # Outlook's spelling of REFRESH-INTERVAL
    # Only the product's years: an event stored before forms checked them (year 9999) must
    # not stop the feed of every member (date(10001, 1, 1) does not exist).
    years = [moment.year for event in events for moment in (event.start, event.end)
             if FIRST_YEAR <= moment.year <= LAST_YEAR]
    years.append(utcnow().astimezone(PARIS).year)
    calendar.add_component(Timezone.from_tzid(TZID, first_date=date(min(years), 1, 1),
                                              last_date=date(max(years) + 2, 1, 1)))
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()  # a no-op today; a safety net for any other zone
    return calendar.to_ical()


def single_event_ics(event: Event) -> bytes:
    return to_ics([event], uid=f"calendar-{event.uid}")


def ics_filename(prefix: str, item: Meeting | Workshop) -> str:
    day = item.starts_at.astimezone(PARIS).date().isoformat()
    return f"{prefix}-{slugify(item.title, max_length=60) or item.id}-{day}.ics"
