"""A notification e-mail ends with one signature: the shared footer's, whatever its kind."""
from __future__ import annotations

from datetime import timedelta

from tests.notifications.conftest import body_of
from workspace.core.models import utcnow
from workspace.extensions import db
from workspace.networks import service as networks
from workspace.notifications.kinds import kinds
from workspace.notifications.targets import mail_spec
from workspace.workshops import service as workshops

SIGNATURE = "\n-- \n"


def test_templates_of_notification_mails_leave_the_signature_to_the_footer(app):
    """The delivery appends mail/notification_footer.txt to every notification e-mail."""
    specs = {kind: mail_spec(kind) for kind in kinds()}
    templates = {spec.template for spec in specs.values() if spec is not None}
    assert templates, "no notification kind has an e-mail of its own any more"
    for name in templates | {"notification", "notification_digest"}:
        source, *_ = app.jinja_env.loader.get_source(app.jinja_env, f"mail/{name}.txt")
        assert "-- \n" not in source, f"mail/{name}.txt signs: the footer already does"


def test_join_and_waiting_list_mails_are_signed_once(app, world, make_user, mailbox):
    requester = make_user(first_name="Thomas", last_name="Nouveau")
    join_request = networks.request_to_join(requester, world.network, "Bonjour")
    db.session.commit()
    networks.decide_join_request(world.coordinator, join_request, True, "Bienvenue")
    start = utcnow() + timedelta(days=20)
    workshop = workshops.save_workshop(world.coordinator, world.network, None,
                                       workshops.WorkshopData(
                                           theme="Énergie", title="Chaudières", description="",
                                           starts_at=start, ends_at=start + timedelta(hours=2),
                                           location="Mulsanne", capacity=1,
                                           seats_per_commune=None,
                                           registration_deadline=start - timedelta(days=1)))
    db.session.commit()
    workshops.register(world.alice, workshop.id)
    workshops.register(world.bob, workshop.id)  # waiting list
    db.session.commit()
    workshops.cancel(world.alice, workshop.id)
    db.session.commit()
    messages = (mailbox.to(world.coordinator.email) + mailbox.to(requester.email)
                + mailbox.to(world.bob.email))
    subjects = {message["Subject"] for message in messages}
    assert any("Demande d'adhésion" in subject for subject in subjects), subjects
    assert any("Une place s'est libérée" in subject for subject in subjects), subjects
    for message in messages:
        body = body_of(message)
        assert body.count(SIGNATURE) == 1, (message["Subject"], body)
        assert body.count(app.config["SITE_NAME"]) == 1, (message["Subject"], body)
