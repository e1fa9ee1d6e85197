"""Password rules, reset by e-mail (single use, expiring, link from PUBLIC_URL), hashing."""
import re
from datetime import timedelta

from sqlalchemy import select

from tests.conftest import PASSWORD
from workspace.auth.models import UserToken
from workspace.core.models import utcnow
from workspace.extensions import db


def _reset_link(mailbox, address):
    messages = mailbox.to(address)
    assert len(messages) == 1
    body = messages[0].get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"(\S+/password/reset/\S+)", body)
    assert match, body
    return messages[0], match.group(1)


def test_reset_link_works_once(client, make_user, mailbox):
    user = make_user()
    response = client.post("/password/forgot", data={"email": user.email})
    assert response.status_code == 302
    message, link = _reset_link(mailbox, user.email)
    assert message["Subject"] == "Réinitialisation de votre mot de passe"
    path = link.removeprefix("http://tilt.test")

    assert client.get(path).status_code == 200
    done = client.post(path, data={"password": "nouvelle phrase secrète",
                                   "confirm": "nouvelle phrase secrète"})
    assert done.status_code == 302
    assert client.post("/login", data={"email": user.email,
                                       "password": "nouvelle phrase secrète"}).status_code == 302

    again = client.post(path, data={"password": "encore une autre phrase",
                                    "confirm": "encore une autre phrase"})
    assert again.status_code == 404
    assert "n'est plus valable" in again.get_data(as_text=True)


def test_reset_link_is_built_from_public_url_not_host_header(client, make_user, mailbox):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email},
                headers={"Host": "evil.example"})
    _, link = _reset_link(mailbox, user.email)
    assert link.startswith("http://tilt.test/password/reset/")
    assert "evil.example" not in link


def test_forgot_password_says_the_same_for_unknown_address(client, make_user, mailbox):
    user = make_user()
    known = client.post("/password/forgot", data={"email": user.email}, follow_redirects=True)
    unknown = client.post("/password/forgot", data={"email": "personne@example.org"},
                          follow_redirects=True)
    text = "Si un compte existe pour cette adresse"
    assert text in known.get_data(as_text=True) and text in unknown.get_data(as_text=True)
    assert [m["To"] for m in mailbox.deliver()] == [user.email]


def test_expired_reset_link_is_refused(client, make_user, mailbox):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    _, link = _reset_link(mailbox, user.email)
    token = db.session.scalar(select(UserToken))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(link.removeprefix("http://tilt.test")).status_code == 404


def test_newer_reset_link_replaces_older(client, make_user, mailbox):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    _, first = _reset_link(mailbox, user.email)
    mailbox.clear()
    client.post("/password/forgot", data={"email": user.email})
    _, second = _reset_link(mailbox, user.email)
    assert client.get(first.removeprefix("http://tilt.test")).status_code == 404
    assert client.get(second.removeprefix("http://tilt.test")).status_code == 200


def test_reset_signs_out_existing_sessions(app, client, make_user, login, mailbox):
    user = make_user()
    other = app.test_client()
    login(other, user)
    client.post("/password/forgot", data={"email": user.email})
    _, link = _reset_link(mailbox, user.email)
    client.post(link.removeprefix("http://tilt.test"),
                data={"password": "nouvelle phrase secrète", "confirm": "nouvelle phrase secrète"})
    assert other.get("/account").status_code == 302


def test_short_password_is_refused_with_a_clear_message(client, make_user, mailbox):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    _, link = _reset_link(mailbox, user.email)
    response = client.post(link.removeprefix("http://tilt.test"),
                           data={"password": "court", "confirm": "court"})
    assert response.status_code == 200
    assert "au moins 12 caractères" in response.get_data(as_text=True)
    # the old password still works: nothing was changed
    assert client.post("/login", data={"email": user.email,
                                       "password": PASSWORD}).status_code == 302


def test_mismatched_confirmation_is_refused(client, make_user, login):
    user = make_user()
    login(client, user)
    response = client.post("/account/password", data={
        "current": PASSWORD, "password": "une nouvelle phrase", "confirm": "autre chose ici"})
    assert "Les deux mots de passe diffèrent." in response.get_data(as_text=True)


def test_passwords_are_hashed_with_a_slow_kdf(app, make_user):
    from workspace.auth.models import User

    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    user = make_user()
    stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("scrypt:")
    assert PASSWORD not in stored
