"""The frame of every page (navigation bar, footer) is kept per process, yet shows at once
what changed in the database: the reader's name, administrator right, language, bell."""
from __future__ import annotations

import re

from tests.conftest import text_of
from workspace.extensions import db
from workspace.notifications.models import Notification


def _logout_token(response) -> str:
    html = response.get_data(as_text=True)
    form = re.search(r'action="/logout".*?name="csrf_token" value="([^"]+)"', html, re.S)
    return form.group(1)


def test_name_and_admin_right_show_on_the_next_page(client, login, make_user):
    user = make_user(first_name="Alix", last_name="Martin")
    login(client, user)
    page = text_of(client.get("/"))
    assert "Alix Martin" in page and "Administration" not in page

    user.first_name, user.is_admin = "Alexandra", True
    db.session.commit()
    page = text_of(client.get("/"))
    assert "Alexandra Martin" in page and "Alix Martin" not in page
    assert "Administration" in page


def test_each_reader_gets_their_own_csrf_token(app, login, make_user):
    first, second = app.test_client(), app.test_client()
    login(first, make_user())
    login(second, make_user())
    first_token = _logout_token(first.get("/"))
    second_token = _logout_token(second.get("/"))
    assert first_token != second_token
    assert "csrf-" not in first_token  # never the kept placeholder


def test_language_switch_returns_to_the_page_it_was_on(client, login, make_user):
    login(client, make_user())
    html = client.get("/networks/?a=1&b=2").get_data(as_text=True)
    assert 'name="next" value="/networks/?a=1&amp;b=2"' in html  # escaped like any value
    client.post("/language", data={"lang": "en", "next": "/"})
    page = text_of(client.get("/networks/"))
    assert "Sign out" in page and 'name="next" value="/networks/"' in page


def test_bell_counts_a_new_notification_on_the_next_page(client, login, make_user):
    user = make_user()
    login(client, user)
    assert 'data-unread="0"' in client.get("/").get_data(as_text=True)
    db.session.add(Notification(user_id=user.id, kind="forum_reply", target_type="forum_post",
                                target_id=1, channel="site"))
    db.session.commit()
    assert 'data-unread="1"' in client.get("/").get_data(as_text=True)
