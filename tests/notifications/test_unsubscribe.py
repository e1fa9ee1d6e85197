"""Every e-mail can be stopped in one click, without signing in, by its own recipient only."""
from __future__ import annotations

from tests.conftest import text_of
from tests.notifications.conftest import body_of, notifications_of, run_digest, unsubscribe_path
from workspace.extensions import db
from workspace.forums import notify as forum_notify
from workspace.forums import service as forums
from workspace.meetings import service as meetings
from workspace.notifications import service
from workspace.notifications.kinds import SITE


def _assign(world, title: str = "Recenser les NAS"):
    meetings.add_action(world.coordinator, world.network, None, title, owner_user=world.bob)
    db.session.commit()


def test_email_has_one_click_headers_and_link_in_the_body(world, mailbox):
    _assign(world)
    [message] = mailbox.to(world.bob.email)
    path = unsubscribe_path(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"http://tilt.test{path}" in body_of(message)
    assert "http://tilt.test/notifications/preferences" in body_of(message)


def test_unsubscribe_works_without_signing_in(app, world, mailbox):
    _assign(world)
    path = unsubscribe_path(mailbox.to(world.bob.email)[0])
    anonymous = app.test_client()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Actions qui me sont confiées" in text_of(page)
    assert service.channel_of(world.bob, "action_assigned") == "immediate"  # GET changes nothing
    done = anonymous.post(path, data=b"List-Unsubscribe=One-Click",
                          content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200 and "ne recevrez plus" in text_of(done)
    assert service.channel_of(world.bob, "action_assigned") == SITE
    mailbox.clear()
    _assign(world, "Plan IP")
    assert mailbox.to(world.bob.email) == []  # no more e-mail...
    assert len(notifications_of(world.bob)) == 2  # ...but still on the site


def test_one_click_post_needs_no_csrf_token(app, world, mailbox):
    _assign(world)
    path = unsubscribe_path(mailbox.to(world.bob.email)[0])
    app.config["WTF_CSRF_ENABLED"] = True
    assert app.test_client().post(path).status_code == 200
    assert service.channel_of(world.bob, "action_assigned") == SITE


def test_link_is_only_for_its_recipient(world, mailbox, signed_in):
    _assign(world)
    path = unsubscribe_path(mailbox.to(world.bob.email)[0])
    alice = signed_in(world.alice)
    assert alice.get(path).status_code == 404
    assert alice.post(path).status_code == 404
    assert service.channel_of(world.bob, "action_assigned") == "immediate"
    assert signed_in(world.bob).post(path).status_code == 200  # his own, signed in


def test_tampered_or_foreign_tokens_are_404(app, world, mailbox):
    _assign(world)
    path = unsubscribe_path(mailbox.to(world.bob.email)[0])
    anonymous = app.test_client()
    token = path.rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert anonymous.post(f"/notifications/unsubscribe/{tampered}").status_code == 404
    # a token signed for another purpose (the forum's old links) is not accepted here
    from itsdangerous import URLSafeSerializer

    from workspace.forums.public import LEGACY_SALT

    forum_token = URLSafeSerializer(app.config["SECRET_KEY"], salt=LEGACY_SALT).dumps(
        [world.bob.id, "category", world.category.id])
    assert anonymous.post(f"/notifications/unsubscribe/{forum_token}").status_code == 404
    # nor a scope nothing registers
    odd = service._serializer().dumps([world.bob.id, "follow:planet:3"])
    assert anonymous.post(f"/notifications/unsubscribe/{odd}").status_code == 404
    assert anonymous.get("/notifications/unsubscribe/%00%ff").status_code == 404
    assert service.channel_of(world.bob, "action_assigned") == "immediate"


def test_digest_unsubscribe_stops_every_kind_on_that_digest(app, world, mailbox):
    forum_notify.follow_category(world.bob, world.category)
    db.session.commit()
    forums.create_topic(world.alice, world.category, "Sauvegardes", "Quel outil ?")
    db.session.commit()
    [digest] = [m for m in run_digest(mailbox) if world.bob.email in m.envelope_to]
    response = app.test_client().post(unsubscribe_path(digest))
    assert response.status_code == 200
    choices = service.preferences(world.bob)
    assert choices["forum_post"] == SITE and choices["new_document"] == SITE
    assert choices["mention"] == "immediate"  # not a digest kind: untouched
