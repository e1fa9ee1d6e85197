"""Renewal reminders before the notice deadline, through the real SMTP server."""
from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, select

from workspace.extensions import db
from workspace.inventory.models import InventoryReminder
from workspace.inventory.reminders import send_renewal_reminders
from workspace.networks.models import Membership

TODAY = date(2027, 3, 1)


def _run(today=TODAY) -> int:
    count = send_renewal_reminders(today)
    db.session.commit()
    return count


def _contract_due_in(make_contract, user, days: int, notice: int = 0, **over):
    """A contract whose notice deadline is `days` after TODAY."""
    deadline = TODAY + timedelta(days=days)
    ends_on = deadline + relativedelta(months=notice)
    contract = make_contract(user, ends_on=ends_on, notice_months=notice, **over)
    assert contract.notice_deadline == deadline
    return contract


def test_commune_members_and_coordinators_are_reminded_once(world, make_contract, mailbox):
    _contract_due_in(make_contract, world.alice, 50, notice=3, supplier="Orange",
                     subject="Téléphonie de la mairie")
    assert _run() == 3
    messages = mailbox.deliver()
    assert sorted(m["To"] for m in messages) == sorted(
        [world.alice.email, world.bob.email, world.coordinator.email])
    message = messages[0]
    assert "Orange" in message["Subject"] and "Coulaines" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "20/04/2027" in body and "Téléphonie de la mairie" in body
    assert f"/n/{world.network.slug}/inventory/renewals" in body
    mailbox.clear()
    assert _run() == 0 and _run(TODAY + timedelta(days=10)) == 0  # same threshold: never twice
    assert mailbox.deliver() == []


def test_second_threshold_sends_again_once(world, make_contract, mailbox):
    _contract_due_in(make_contract, world.chloe, 50)
    assert _run() == 2  # Chloé and the coordinator
    mailbox.clear()
    assert _run(TODAY + timedelta(days=40)) == 2  # 10 days left: the 15-day reminder
    assert len(mailbox.deliver()) == 2
    assert _run(TODAY + timedelta(days=45)) == 0


def test_a_late_first_run_sends_one_reminder_not_two(world, make_contract, mailbox):
    contract = _contract_due_in(make_contract, world.chloe, 5)
    assert _run() == 2
    assert db.session.scalar(select(func.count(InventoryReminder.id)).where(
        InventoryReminder.contract_id == contract.id)) == 2  # both thresholds recorded
    assert _run(TODAY + timedelta(days=1)) == 0


def test_nothing_before_the_threshold_nor_after_the_deadline(world, make_contract, mailbox):
    _contract_due_in(make_contract, world.chloe, 61)
    _contract_due_in(make_contract, world.david, -1)
    make_contract(world.david, ends_on=None)
    assert _run() == 0
    assert mailbox.deliver() == []


def test_a_renewed_contract_is_reminded_again(world, make_contract, mailbox):
    contract = _contract_due_in(make_contract, world.chloe, 10)
    assert _run() == 2
    contract.ends_on = contract.ends_on.replace(year=contract.ends_on.year + 1)
    db.session.commit()
    assert _run(contract.notice_deadline - timedelta(days=30)) == 2


def test_people_who_lost_access_get_nothing(world, make_contract, mailbox):
    _contract_due_in(make_contract, world.alice, 30)
    db.session.execute(delete(Membership).where(Membership.user_id == world.alice.id))
    world.bob.is_active = False
    db.session.commit()
    assert _run() == 1
    assert [m["To"] for m in mailbox.deliver()] == [world.coordinator.email]


def test_archived_network_reminds_nobody(world, make_contract, mailbox):
    _contract_due_in(make_contract, world.alice, 30)
    world.network.is_archived = True
    db.session.commit()
    assert _run() == 0
    assert mailbox.deliver() == []


def test_outsiders_and_other_communes_are_never_reminded(world, make_contract, mailbox):
    _contract_due_in(make_contract, world.david, 30)
    recipients = {m["To"] for m in (_run(), mailbox.deliver())[1]}
    assert recipients == {world.david.email, world.coordinator.email}


def test_the_periodic_job_is_declared(app):
    from workspace.core.jobs import periodic_tasks

    assert periodic_tasks(app)["inventory.renewal_reminders"].daily_at == "07:40"


def test_thresholds_are_configurable(app, world, make_contract, mailbox):
    app.config["INVENTORY_REMINDER_DAYS"] = [90]
    _contract_due_in(make_contract, world.chloe, 80)
    _contract_due_in(make_contract, world.david, 95)
    assert _run() == 2
    assert {m["To"] for m in mailbox.deliver()} == {world.chloe.email, world.coordinator.email}


def test_deadline_today_is_said_so(world, make_contract, mailbox):
    _contract_due_in(make_contract, world.chloe, 0)
    assert _run() == 2
    body = mailbox.deliver()[0].get_body(("plain",)).get_content()
    assert "à donner aujourd'hui, le 01/03/2027" in body
