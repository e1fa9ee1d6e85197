"""Who is registered for a workshop, read at once: the lists, the waiting positions and the
counts of a page all come from ONE statement, so that a registration committed while the page
is being built is either wholly on it (with its position) or not at all."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from workspace.extensions import db
from workspace.workshops.models import CONFIRMED, WAITING, Registration, Workshop

Groups = list[tuple[str, list[Registration]]]


@dataclass(frozen=True)
class Roster:
    """The live registrations of one workshop, as one statement saw them."""

    confirmed: list[Registration]  # in order of registration
    waiting: list[Registration]    # in order of the waiting list

    @property
    def positions(self) -> dict[int, int]:
        """registration id -> its place on the waiting list (1 is next)."""
        return {registration.id: index for index, registration in
                enumerate(self.waiting, start=1)}

    def live_registration_of(self, user_id: int) -> Registration | None:
        """The user's confirmed or waiting registration, if any."""
        return next((registration for registration in self.confirmed + self.waiting
                     if registration.user_id == user_id), None)

    @property
    def confirmed_by_commune(self) -> Groups:
        return by_commune(self.confirmed)

    @property
    def waiting_by_commune(self) -> Groups:
        return by_commune(self.waiting)


def roster(workshop: Workshop) -> Roster:
    """Read every live registration of the workshop, with its person and commune, in one
    SELECT (joined eager loads: no lazy load later reads a newer state of the database)."""
    rows = db.session.scalars(
        select(Registration)
        .options(joinedload(Registration.user), joinedload(Registration.organisation))
        .where(Registration.workshop_id == workshop.id,
               Registration.status.in_((CONFIRMED, WAITING)))
        .order_by(Registration.created_at, Registration.id)
        .execution_options(populate_existing=True)).unique().all()
    return Roster(confirmed=[r for r in rows if r.status == CONFIRMED],
                  waiting=[r for r in rows if r.status == WAITING])


def by_commune(registrations: list[Registration]) -> Groups:
    """Registrations grouped by commune, communes in alphabetical order and people without a
    commune last; the order within a group is kept."""
    groups: dict[tuple[bool, str], list[Registration]] = {}
    for registration in registrations:
        organisation = registration.organisation
        key = (organisation is None, organisation.name if organisation else "")
        groups.setdefault(key, []).append(registration)
    return [(name or _("Sans commune"), groups[(no_commune, name)])
            for no_commune, name in sorted(groups)]
