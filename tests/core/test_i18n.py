"""French by default, English on request; dates in French and in Paris time; a complete
English catalogue."""
import subprocess
import sys
from datetime import UTC, datetime

from babel.messages.pofile import read_po

from tests.conftest import ROOT_DIR, text_of
from workspace.auth.models import User
from workspace.core.i18n import datetime_filter
from workspace.extensions import db


def test_interface_is_french_by_default(client, make_user, login):
    page = text_of(client.get("/login"))
    assert '<html lang="fr">' in page and "Connexion" in page
    login(client, make_user())
    page = text_of(client.get("/"))
    assert "Réseaux" in page and "Annuaire" in page and "Se déconnecter" in page


def test_english_after_switching_and_remembered_on_the_account(app, client, make_user, login):
    user = make_user()
    login(client, user)
    response = client.post("/language", data={"lang": "en", "next": "/directory"})
    assert response.headers["Location"] == "/directory"
    page = text_of(client.get("/directory"))
    assert '<html lang="en">' in page
    assert "Networks" in page and "Directory" in page and "Sign out" in page
    assert "Annuaire" not in page
    assert db.session.get(User, user.id).locale == "en"
    # a new browser: the choice follows the account
    other = app.test_client()
    login(other, user)
    assert '<html lang="en">' in text_of(other.get("/"))


def test_anonymous_visitor_can_switch_language(client):
    client.post("/language", data={"lang": "en"})
    page = text_of(client.get("/login"))
    assert '<html lang="en">' in page and "Sign in" in page


def test_unknown_language_is_refused(client):
    assert client.post("/language", data={"lang": "klingon"}).status_code == 400
    assert '<html lang="fr">' in text_of(client.get("/login"))


def test_dates_are_shown_in_french_in_paris_time(app):
    # 26 March 2017, 08:00 UTC is 10:00 in Paris (summer time began that night)
    moment = datetime(2017, 3, 26, 8, 0, tzinfo=UTC)
    with app.test_request_context():
        assert datetime_filter(moment, "long") == "dimanche 26 mars 2017 à 10:00"
        assert datetime_filter(datetime(2017, 1, 10, 8, 0, tzinfo=UTC)) == \
            "10 janv. 2017, 09:00"


def test_english_catalogue_translates_every_message(tmp_path):
    """Every French msgid of the code and templates has an English translation."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", str(pot),
                    # Babel skips folders starting with "_" unless told otherwise:
                    # templates/_macros and templates/_frame hold messages too
                    "--ignore-dirs", ".*", "--no-location", "."], cwd=ROOT_DIR, check=True)
    with open(pot, "rb") as handle:
        assert "Se déconnecter" in {message.id for message in read_po(handle)}
    with open(pot, "rb") as handle:
        wanted = {message.id if isinstance(message.id, str) else message.id[0]
                  for message in read_po(handle) if message.id}
    po_path = ROOT_DIR / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    with open(po_path, "rb") as handle:
        catalogue = read_po(handle)
    translated = {(message.id if isinstance(message.id, str) else message.id[0])
                  for message in catalogue if message.id and message.string and (
                      all(message.string) if isinstance(message.string, tuple) else True)
                  and not message.fuzzy}
    missing = sorted(wanted - translated)
    assert not missing, f"{len(missing)} messages lack an English translation: {missing[:20]}"


def test_language_survives_signing_out(client, make_user, login):
    login(client, make_user(locale="en"))
    client.post("/logout")
    assert '<html lang="en">' in text_of(client.get("/login"))


def test_templates_follow_a_forced_locale_within_a_request(app):
    """E-mails are rendered in the recipient's language during someone else's request."""
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context("/"):
        assert render_template_string("{{ _('Réseaux') }}") == "Réseaux"
        with force_locale("en"):
            assert render_template_string("{{ _('Réseaux') }}") == "Networks"
        assert render_template_string("{{ _('Réseaux') }}") == "Réseaux"
