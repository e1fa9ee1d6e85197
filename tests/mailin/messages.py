"""E-mails as the tests deliver them: replies from a plain client and from Zimbra, machine
messages, attachments."""
from __future__ import annotations

import io
from email.message import EmailMessage
from email.utils import make_msgid

from tests.mailin.conftest import ADDRESS
from workspace.mailin.tokens import make_token


def reply_to(user, topic) -> str:
    local, domain = ADDRESS.split("@")
    return f"{local}+{make_token(user.id, topic.id)}@{domain}"


def plain_reply(sender: str, to: str, text: str = "Je passe jeudi.\n\n-- \nAlice\nCoulaines",
                **headers) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: [Réseau informatique] Migration des imprimantes"
    message["Message-ID"] = make_msgid(domain="client.test")
    message["Return-Path"] = f"<{sender}>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text + "\n\nLe lun. 7 déc. 2026 à 10:00, Tilt <ne-pas-repondre@x> "
                               "a écrit :\n> Qui passe à la nouvelle file d'impression ?\n")
    return message


ZIMBRA_HTML = """<html><body><div style="font-family: arial, helvetica, sans-serif;">
<div>Bonjour,</div><div><br></div><div>C'est fait pour <strong>Coulaines</strong> :</div>
<ul><li>file « couleur »</li><li>file « noir et blanc »</li></ul>
<div><a href="javascript:alert(1)">piège</a> <script>alert(2)</script></div>
<div><br></div><div>Cordialement,</div><div>Alice Martin</div><div><br></div>
<hr id="zwchr"><div data-marker="__HEADERS__"><b>De: </b>"Tilt" &lt;ne-pas-repondre@x&gt;<br>
<b>À: </b>"Alice" &lt;alice@coulaines.test&gt;<br><b>Envoyé: </b>Lundi 7 Décembre 2026<br>
<b>Objet: </b>[Réseau informatique] Migration des imprimantes<br></div>
<div data-marker="__QUOTED_TEXT__">Qui passe à la nouvelle file d'impression ?</div>
</div></body></html>"""


def zimbra_reply(sender: str, to: str) -> EmailMessage:
    message = plain_reply(sender, to)
    message.set_content("Bonjour,\n\nC'est fait pour Coulaines.\n\n----- Mail original -----\n"
                        "De: \"Tilt\" <ne-pas-repondre@x>\nÀ: alice\n\nQui passe ?\n")
    message.add_alternative(ZIMBRA_HTML, subtype="html")
    message["X-Mailer"] = "Zimbra 10.0.6_GA_4665 (ZimbraWebClient - FF120 (Linux))"
    return message


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]"
       b"/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
