"""Renewal reminders: before a contract's notice deadline (end date minus notice period),
e-mail the commune's members of the network and the network's coordinators.

Thresholds come from `INVENTORY_REMINDER_DAYS` (default 60 and 15 days before the deadline).
Each (contract, threshold, deadline) is sent at most once, recorded in `inventory_reminders`
in the same transaction as the queued e-mails; a run that starts late (deadline already within
several thresholds) sends one e-mail and records them all. A contract renewed with a new end
date has a new deadline, hence new reminders. Recipients are chosen when the job runs: someone
who can no longer see the network, or whose account is disabled, gets nothing."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from workspace.auth.models import User
from workspace.core.mail import queue_template_mail
from workspace.core.models import utcnow
from workspace.core.timezones import PARIS
from workspace.core.urls import public_url
from workspace.extensions import db
from workspace.inventory.labels import CONTRACT_KIND_LABELS
from workspace.inventory.models import InventoryContract, InventoryReminder
from workspace.inventory.service import MAX_NOTICE_MONTHS
from workspace.networks.access import can_view_network
from workspace.networks.models import ROLE_COORDINATOR, Membership, Network

DEFAULT_THRESHOLDS = (60, 15)


def thresholds() -> list[int]:
    days = current_app.config.get("INVENTORY_REMINDER_DAYS", DEFAULT_THRESHOLDS)
    return sorted({int(day) for day in days if int(day) >= 0}, reverse=True)


def recipients(contract: InventoryContract, network: Network) -> list[User]:
    """The commune's members of the network and the network's coordinators who may still
    see it, each once."""
    people = db.session.scalars(select(User).join(Membership, Membership.user_id == User.id)
                                .where(Membership.network_id == network.id,
                                       (User.organisation_id == contract.organisation_id)
                                       | (Membership.role == ROLE_COORDINATOR))
                                .order_by(User.id)).unique().all()
    return [user for user in people if user.is_active and can_view_network(user, network)]


def _sent(contract_id: int, deadline: date) -> set[int]:
    return set(db.session.scalars(select(InventoryReminder.threshold_days).where(
        InventoryReminder.contract_id == contract_id, InventoryReminder.deadline == deadline)))


def send_renewal_reminders(today: date) -> int:
    """Queue the reminders due on `today` (Paris date); returns the number of e-mails."""
    levels = thresholds()
    if not levels:
        return 0
    # the deadline is at most MAX_NOTICE_MONTHS before the end: a cheap first filter
    horizon = today + timedelta(days=levels[0] + 31 * MAX_NOTICE_MONTHS + 1)
    contracts = db.session.scalars(select(InventoryContract).where(
        InventoryContract.ends_on >= today, InventoryContract.ends_on <= horizon)
        .order_by(InventoryContract.id)).all()
    queued = 0
    for contract in contracts:
        deadline = contract.notice_deadline
        days_left = (deadline - today).days
        if days_left < 0:
            continue  # the notice deadline has passed: too late to remind
        due = [level for level in levels if days_left <= level]
        missing = [level for level in due if level not in _sent(contract.id, deadline)]
        if not missing:
            continue
        network = db.session.get(Network, contract.network_id)
        people = recipients(contract, network)
        for level in missing:
            db.session.add(InventoryReminder(contract_id=contract.id, threshold_days=level,
                                             deadline=deadline,
                                             recipient_count=len(people)))
        for user in people:
            _remind(user, contract, network, deadline, days_left)
        queued += len(people)
        db.session.flush()
    return queued


def _remind(user: User, contract: InventoryContract, network: Network, deadline: date,
            days_left: int) -> None:
    with force_locale(user.locale or "fr"):
        subject = _("Préavis à donner avant le %(date)s : %(supplier)s (%(commune)s)",
                    date=deadline.strftime("%d/%m/%Y"), supplier=contract.supplier,
                    commune=contract.organisation.name)
        kind = str(CONTRACT_KIND_LABELS.get(contract.kind, contract.kind))
    link = public_url("inventory.contract_renewals", network_slug=network.slug)
    queue_template_mail(user, subject, "inventory_renewal", contract=contract, kind=kind,
                        network=network, deadline=deadline, days_left=days_left, link=link)


def renewal_reminders_job(payload: dict) -> None:
    send_renewal_reminders(utcnow().astimezone(PARIS).date())
