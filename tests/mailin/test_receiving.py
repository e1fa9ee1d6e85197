"""Replies taken from a real IMAP mailbox (dovecot) become posts, or are refused with a
reason; each message is handled once and ends in "traités" or "refusés"."""
from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import func, select

from tests.mailin.conftest import DOVECOT_DIR, USER
from tests.mailin.messages import PDF, plain_reply, png_bytes, reply_to, zimbra_reply
from workspace.documents.models import Document, DocumentLink
from workspace.extensions import db
from workspace.forums.models import Post
from workspace.mailin.models import IGNORED, POSTED, REFUSED, InboundMail


def replies(topic) -> list[Post]:
    return list(db.session.scalars(select(Post).where(Post.topic_id == topic.id,
                                                      Post.number > 1).order_by(Post.number)))


def rows() -> list[InboundMail]:
    return list(db.session.scalars(select(InboundMail).order_by(InboundMail.id)))


def test_a_plain_reply_becomes_a_post_and_is_moved_to_done(imap, topic_of, mailbox):
    network, topic, alice, *_ = topic_of
    imap.deliver(plain_reply("Alice <alice@coulaines.test>", reply_to(alice, topic)))
    report = imap.poll()
    assert report.posted == 1
    (post,) = replies(topic)
    assert post.author_id == alice.id and post.via_email
    assert post.body == "Je passe jeudi."  # quote and signature removed
    assert imap.count("INBOX") == 0 and imap.count("traités") == 1
    assert rows()[0].status == POSTED and rows()[0].post_id == post.id


def test_the_post_says_it_came_by_email(imap, topic_of, signed_in):
    network, topic, alice, bob, *_ = topic_of
    imap.deliver(plain_reply("alice@coulaines.test", reply_to(alice, topic)))
    imap.poll()
    page = signed_in(bob).get(f"/n/{network.slug}/forum/t/{topic.id}")
    assert "envoyé par e-mail" in page.get_data(as_text=True)


def test_an_html_reply_from_zimbra_becomes_clean_markdown(imap, topic_of):
    network, topic, alice, *_ = topic_of
    imap.deliver(zimbra_reply("\"Martin Alice\" <Alice@Coulaines.test>", reply_to(alice, topic)))
    imap.poll()
    (post,) = replies(topic)
    assert "**Coulaines**" in post.body and "* file « couleur »" in post.body
    assert "Mail original" not in post.body and "Qui passe" not in post.body
    assert "Cordialement" not in post.body  # the signature
    assert "<strong>Coulaines</strong>" in post.body_html
    assert "javascript" not in post.body and "alert(2)" not in post.body
    assert "piège" in post.body and "<script" not in post.body_html


def test_an_image_and_a_pdf_become_attachments_of_the_post(imap, topic_of):
    network, topic, alice, *_ = topic_of
    message = plain_reply("alice@coulaines.test", reply_to(alice, topic), "Voici les fichiers.")
    message.add_attachment(png_bytes(), maintype="image", subtype="png", filename="écran.png")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="procédure.pdf")
    imap.deliver(message)
    imap.poll()
    (post,) = replies(topic)
    linked = db.session.scalars(select(Document).join(
        DocumentLink, DocumentLink.document_id == Document.id).where(
        DocumentLink.target_id == post.id)).all()
    assert sorted(d.current_version.mime for d in linked) == ["application/pdf", "image/png"]
    assert sorted(d.current_version.filename for d in linked) == ["procédure.pdf", "écran.png"]


def test_a_dangerous_attachment_is_refused_but_the_text_is_posted(imap, topic_of, mailbox):
    network, topic, alice, *_ = topic_of
    message = plain_reply("alice@coulaines.test", reply_to(alice, topic), "Le programme.")
    message.add_attachment(b"MZ\x90\x00" + b"\x00" * 200, maintype="application",
                           subtype="octet-stream", filename="outil.exe")
    imap.deliver(message)
    imap.poll()
    assert len(replies(topic)) == 1
    assert "outil.exe" in rows()[0].reason
    assert len(mailbox.to("alice@coulaines.test")) == 1  # told which file was refused


def test_a_reply_to_a_locked_topic_is_refused_and_explained(imap, topic_of, mailbox):
    network, topic, alice, *_ = topic_of
    topic.is_locked = True
    db.session.commit()
    imap.deliver(plain_reply("alice@coulaines.test", reply_to(alice, topic)))
    report = imap.poll()
    assert report.refused == 1 and replies(topic) == []
    assert imap.count("refusés") == 1 and imap.count("INBOX") == 0
    assert "verrouillé" in rows()[0].reason
    (notice,) = mailbox.to("alice@coulaines.test")
    assert "verrouillé" in notice.get_body(("plain",)).get_content()
    assert notice["Auto-Submitted"] == "auto-replied"


@pytest.mark.parametrize("change", ["left", "disabled"])
def test_a_member_who_left_or_was_disabled_cannot_post(imap, topic_of, change):
    from workspace.networks.models import Membership

    network, topic, alice, *_ = topic_of
    if change == "left":
        db.session.delete(db.session.scalar(select(Membership).where(
            Membership.user_id == alice.id)))
    else:
        alice.is_active = False
    db.session.commit()
    imap.deliver(plain_reply("alice@coulaines.test", reply_to(alice, topic)))
    assert imap.poll().refused == 1
    assert replies(topic) == []


def test_a_forged_sender_is_refused(imap, topic_of):
    network, topic, alice, *_ = topic_of
    imap.deliver(plain_reply("Alice <alice@evil.test>", reply_to(alice, topic)))
    assert imap.poll().refused == 1
    assert replies(topic) == [] and "expéditeur" in rows()[0].reason


def test_a_token_reused_by_another_member_is_refused(imap, topic_of):
    network, topic, alice, bob, *_ = topic_of
    imap.deliver(plain_reply("bob@allonnes.test", reply_to(alice, topic)))
    assert imap.poll().refused == 1
    assert replies(topic) == []


def test_an_outsider_never_posts_in_another_network(imap, topic_of):
    """Even with a genuine token of their own (for a topic they cannot see)."""
    network, topic, alice, bob, coordinator, outsider = topic_of
    imap.deliver(plain_reply("oscar@sarthe.test", reply_to(outsider, topic)))
    assert imap.poll().refused == 1
    assert replies(topic) == [] and "accès" in rows()[0].reason


def test_a_tampered_token_is_refused(imap, topic_of):
    network, topic, alice, *_ = topic_of
    address = reply_to(alice, topic).replace(f"+{alice.id}-", f"+{alice.id + 1}-")
    imap.deliver(plain_reply("alice@coulaines.test", address))
    assert imap.poll().refused == 1 and replies(topic) == []


@pytest.mark.parametrize("headers", [{"Auto_Submitted": "auto-replied"},
                                     {"Precedence": "bulk"}, {"List_Id": "<liste.test>"}])
def test_auto_replies_and_lists_are_ignored_silently(imap, topic_of, mailbox, headers):
    network, topic, alice, *_ = topic_of
    imap.deliver(plain_reply("alice@coulaines.test", reply_to(alice, topic),
                             "Je suis absente jusqu'au 2 janvier.", **headers))
    assert imap.poll().ignored == 1
    assert replies(topic) == [] and rows()[0].status == IGNORED
    assert imap.count("refusés") == 1
    assert mailbox.to("alice@coulaines.test") == []  # never answered


def test_a_bounce_is_ignored_silently(imap, topic_of, mailbox):
    network, topic, alice, *_ = topic_of
    bounce = (
        "Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.coulaines.test\r\n"
        f"To: {reply_to(alice, topic)}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce-1@mx.coulaines.test>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
        "--B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--B--\r\n")
    imap.deliver(bounce.encode())
    assert imap.poll().ignored == 1
    assert replies(topic) == [] and mailbox.deliver() == []


def test_a_30_mb_mail_is_refused_without_being_read(imap, topic_of, mailbox):
    network, topic, alice, *_ = topic_of
    message = plain_reply("alice@coulaines.test", reply_to(alice, topic), "Gros fichier.")
    message.add_attachment(b"\x00" * (30 * 1024 * 1024), maintype="application",
                           subtype="octet-stream", filename="disque.img")
    imap.deliver(message)
    assert imap.poll().refused == 1
    assert replies(topic) == [] and "volumineux" in rows()[0].reason
    assert imap.count("refusés") == 1
    assert len(mailbox.to("alice@coulaines.test")) == 1


def test_a_mail_with_500_attachments_is_refused(imap, topic_of):
    network, topic, alice, *_ = topic_of
    message = plain_reply("alice@coulaines.test", reply_to(alice, topic), "Plein de notes.")
    for number in range(500):
        message.add_attachment(f"note {number}\n".encode(), maintype="text", subtype="plain",
                               filename=f"note-{number}.txt")
    imap.deliver(message)
    assert imap.poll().refused == 1
    assert replies(topic) == [] and "pièces jointes (500" in rows()[0].reason
    assert db.session.scalar(select(func.count(Document.id))) == 0


def test_a_malformed_mime_message_is_refused(imap, topic_of):
    network, topic, alice, *_ = topic_of
    raw = (f"From: alice@coulaines.test\r\nTo: {reply_to(alice, topic)}\r\n"
           "Subject: =?utf-8?q?cass=C3=A9?=\r\nMessage-ID: <broken@client.test>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"jamais\"\r\n\r\n"
           "pas de frontière ici\r\n\x00\xff").encode("latin-1")
    imap.deliver(raw)
    assert imap.poll().refused == 1
    assert replies(topic) == [] and "MIME" in rows()[0].reason
    assert imap.count("refusés") == 1


def test_the_same_message_delivered_twice_is_posted_once(imap, topic_of):
    network, topic, alice, *_ = topic_of
    message = plain_reply("alice@coulaines.test", reply_to(alice, topic))
    imap.deliver(message)
    imap.deliver(message)
    report = imap.poll()
    assert report.posted == 1 and report.already == 1
    assert len(replies(topic)) == 1 and len(rows()) == 1
    assert imap.count("traités") == 2 and imap.count("INBOX") == 0


def test_the_server_going_away_mid_poll_loses_nothing_and_posts_nothing_twice(
        imap, topic_of):
    """The connection is killed by the server (doveadm kick) after the post is committed
    and before the message is moved: the message stays in INBOX, and the next poll only
    moves it."""
    network, topic, alice, *_ = topic_of
    imap.deliver(plain_reply("alice@coulaines.test", reply_to(alice, topic)))

    def server_goes_away(row):
        subprocess.run(["doveadm", "-c", str(DOVECOT_DIR / "dovecot.conf"), "kick", USER],
                       check=True, capture_output=True)

    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the client raises
        imap.poll(after_commit=server_goes_away)
    db.session.rollback()
    assert len(replies(topic)) == 1
    assert imap.count("INBOX") == 1  # not lost
    report = imap.poll()
    assert report.already == 1 and report.posted == 0
    assert len(replies(topic)) == 1  # not posted twice
    assert imap.count("INBOX") == 0 and imap.count("traités") == 1


def test_members_are_rate_limited(imap, topic_of, app):
    network, topic, alice, *_ = topic_of
    app.config["MAILIN_POSTS_PER_HOUR"] = 2
    for number in range(3):
        imap.deliver(plain_reply("alice@coulaines.test", reply_to(alice, topic),
                                 f"Message {number}"))
    report = imap.poll()
    assert report.posted == 2 and report.refused == 1
    assert "trop de messages" in rows()[-1].reason


def test_refusal_notices_are_rate_limited_per_address(imap, topic_of, mailbox, app):
    network, topic, alice, *_ = topic_of
    app.config["MAILIN_NOTICES_PER_DAY"] = 2
    for number in range(4):
        imap.deliver(plain_reply("stranger@evil.test", reply_to(alice, topic), f"Spam {number}"))
    assert imap.poll().refused == 4
    assert len(mailbox.to("stranger@evil.test")) == 2


def test_mail_without_a_reply_address_is_refused(imap, topic_of):
    imap.deliver(plain_reply("alice@coulaines.test", "tilt@lemans.test"))
    assert imap.poll().refused == 1
    assert "adresse de réponse" in rows()[0].reason


def test_refused_mail_is_listed_for_administrators(imap, topic_of, signed_in, make_user):
    network, topic, alice, *_ = topic_of
    imap.deliver(plain_reply("Alice <alice@evil.test>", reply_to(alice, topic)))
    imap.poll()
    admin = make_user(is_admin=True)
    page = signed_in(admin).get("/admin/mail-received/")
    assert page.status_code == 200
    assert "alice@evil.test" in page.get_data(as_text=True)
    assert "refusé" in page.get_data(as_text=True) and rows()[0].status == REFUSED


def test_a_message_that_fails_unexpectedly_does_not_hold_up_the_others(imap, topic_of,
                                                                       monkeypatch):
    """A fault injected in the forum (a bug, say) for one message: it goes to "refusés" with
    the reason, and the next message is posted."""
    from workspace.forums import service as forums

    network, topic, alice, *_ = topic_of
    real_reply = forums.reply

    def reply_failing_once(author, topic, body, **options):
        if "panne" in body:
            raise RuntimeError("bug")
        return real_reply(author, topic, body, **options)

    monkeypatch.setattr(forums, "reply", reply_failing_once)
    imap.deliver(plain_reply("alice@coulaines.test", reply_to(alice, topic), "Une panne."))
    imap.deliver(plain_reply("alice@coulaines.test", reply_to(alice, topic), "Tout va bien."))
    report = imap.poll()
    assert report.refused == 1 and report.posted == 1
    assert [post.body for post in replies(topic)] == ["Tout va bien."]
    assert "erreur de traitement (RuntimeError)" in rows()[0].reason
    assert imap.count("refusés") == 1 and imap.count("traités") == 1
