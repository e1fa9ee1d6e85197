"""Tokens, addresses and message parsing, without a mailbox (Hypothesis for what comes
from outside)."""
from __future__ import annotations

from email.message import EmailMessage

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workspace.mailin import parsing, tokens

ids = st.integers(min_value=1, max_value=2**31 - 1)
quick = settings(max_examples=200, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])


@quick
@given(user_id=ids, topic_id=ids)
def test_a_token_reads_back_as_its_user_and_topic_whatever_the_case(app, user_id, topic_id):
    token = tokens.make_token(user_id, topic_id)
    assert tokens.read_token(token) == (user_id, topic_id)
    assert tokens.read_token(token.upper()) == (user_id, topic_id)  # a server changed case
    assert len(f"tilt+{token}") <= 64  # a valid local part


@quick
@given(user_id=ids, topic_id=ids, other=ids)
def test_a_token_does_not_open_another_user_or_topic(app, user_id, topic_id, other):
    signature = tokens.make_token(user_id, topic_id).rsplit("-", 1)[1]
    if other != user_id:
        assert tokens.read_token(f"{other}-{topic_id}-{signature}") is None
    if other != topic_id:
        assert tokens.read_token(f"{user_id}-{other}-{signature}") is None


def test_a_token_signed_with_another_secret_is_refused(app):
    token = tokens.make_token(3, 4)
    app.config["SECRET_KEY"] = "another secret of the same length or longer......"
    assert tokens.read_token(token) is None


@quick
@given(st.text(max_size=120))
def test_any_text_is_a_token_or_nothing(app, text):
    found = tokens.read_token(text)
    assert found is None or all(value > 0 for value in found)


@quick
@given(st.lists(st.text(max_size=80), max_size=4))
def test_any_recipient_headers_are_read_without_error(app, values):
    token = tokens.token_in(values, "tilt@lemans.test")
    assert token is None or isinstance(token, str)


def test_the_token_is_found_among_recipients(app):
    address = f"tilt+{tokens.make_token(5, 9)}@LeMans.test"
    values = ["Alice <alice@x.test>, \"Tilt\" <" + address + ">", ""]
    assert tokens.read_token(tokens.token_in(values, "tilt@lemans.test")) == (5, 9)
    assert tokens.token_in(["tilt+abc@other.test"], "tilt@lemans.test") is None
    assert tokens.token_in(["tiltx+abc@lemans.test"], "tilt@lemans.test") is None


@quick
@given(st.binary(max_size=2000))
def test_any_bytes_parse_or_are_refused_with_a_reason(raw):
    try:
        parsed = parsing.parse(raw, max_attachments=20)
    except parsing.MalformedMail as error:
        reason = str(error)
    else:
        reason = "ok" if isinstance(parsed.text, str) else ""
    assert reason


def test_quotes_and_signatures_are_removed():
    assert parsing.strip_reply("Oui.\n\n-- \nJean\nVille") == "Oui."
    assert parsing.strip_reply("Oui.\n\nCordialement,\nJean") == "Oui."
    assert parsing.strip_reply("Oui.\n\n----- Mail original -----\nDe: x\nÀ: y\n\ntexte") == \
        "Oui."
    assert parsing.strip_reply("Oui.\n\nDe : Tilt\nEnvoyé : lundi\nÀ : moi\nObjet : a\n\nz") \
        == "Oui."
    assert parsing.strip_reply("Oui.\n\nLe lun. 7 déc. 2026, Tilt a écrit :\n> texte") == "Oui."


def _message(**headers) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "alice@coulaines.test"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("Texte")
    return message


def test_machine_messages_are_recognised():
    assert parsing.automatic_reason(_message()) is None
    assert parsing.automatic_reason(_message(Auto_Submitted="no")) is None
    assert parsing.automatic_reason(_message(Auto_Submitted="auto-generated"))
    assert parsing.automatic_reason(_message(Precedence="junk"))
    assert parsing.automatic_reason(_message(Return_Path="<>"))
    assert parsing.automatic_reason(_message(Return_Path="<alice@coulaines.test>")) is None
    bounce = _message()
    bounce.replace_header("From", "MAILER-DAEMON@mx.test")
    assert parsing.automatic_reason(bounce)


def test_a_message_without_message_id_gets_a_stable_key():
    raw = b"From: a@b.test\r\nSubject: x\r\n\r\nbody"
    headers = parsing.read_headers(raw)
    assert parsing.message_key(headers, raw) == parsing.message_key(headers, raw)
    assert parsing.message_key(headers, raw).startswith("sha256:")
