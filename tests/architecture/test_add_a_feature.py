"""The walk of docs/architecture.md ("Add a feature"), done by a test: a small feature, written
in this file, registers itself with every shared mechanism from its `init_app`; nothing in
`workspace/` learns its name, and another application built beside it knows nothing of it."""
from __future__ import annotations

import sys
import types

import pytest
from flask import Blueprint, render_template_string
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from config import TestingConfig
from tests.conftest import text_of
from workspace import create_app
from workspace.core.jobs import Job, enqueue, handlers, register_job, run_pending_jobs
from workspace.extensions import db
from workspace.networks.models import Network
from workspace.networks.panels import Panel, register_panel
from workspace.notifications import service as notifications
from workspace.notifications.kinds import DAILY, Kind, kinds, register_kind
from workspace.notifications.models import Notification
from workspace.notifications.targets import Target, register_target

seen: list = []


def _tip_of_the_day(network, viewer):
    return Panel("_test_tip.html", {"tip": f"Astuce du réseau {network.name}"}, order=5)


def _make_feature() -> types.ModuleType:
    """A module as a feature package would be: `init_app` registers everything."""
    feature = types.ModuleType("tilt_test_tips")
    bp = Blueprint("tips", __name__, url_prefix="/tips")

    @bp.get("/")
    def tip_list():
        return render_template_string("<p>{{ n }} astuces</p>", n=len(seen))

    def init_app(app):
        app.register_blueprint(bp)
        register_job(app, "tips.record", lambda payload: seen.append(payload["text"]))
        register_kind(app, Kind("tip_posted", _l("Nouvelles astuces"),
                                _l("Nouvelle astuce : « %(title)s »"), DAILY, order=200))
        register_target(app, Target("tip_network", Network, title=lambda network: network.name,
                                    place=lambda network, _n: ("tips.tip_list", {})))
        register_panel(app, "tips", _tip_of_the_day)

    feature.init_app = init_app
    return feature


@pytest.fixture
def tips_app(app_config, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "_test_tip.html").write_text("<p class='tip'>{{ ctx.tip }}</p>")
    feature = _make_feature()
    sys.modules[feature.__name__] = feature
    application = create_app(TestingConfig, extra_features=[feature], **app_config)
    from jinja2 import ChoiceLoader, FileSystemLoader

    application.jinja_loader = ChoiceLoader([application.jinja_loader,
                                            FileSystemLoader(str(templates))])
    yield application
    sys.modules.pop(feature.__name__, None)


def test_a_new_feature_registers_with_every_mechanism(app, tips_app, make_user, make_network,
                                                      login):
    seen.clear()
    member = make_user()
    network = make_network("Réseau informatique", members=[member])
    with tips_app.app_context():
        enqueue("tips.record", {"text": "Sauvegarder avant la mise à jour"})
        notifications.notify("tip_posted", [member.id], network=network,
                             target_type="tip_network", target_id=network.id)
        db.session.commit()
        assert run_pending_jobs(kinds=["tips.record"]) == 1
        assert "tip_posted" in kinds(tips_app)
        client = tips_app.test_client()
        login(client, member)
        assert "1 astuces" in text_of(client.get("/tips/"))
        home = client.get(f"/n/{network.slug}/")
        assert "Astuce du réseau Réseau informatique" in text_of(home)
        page = client.get("/notifications/")
        assert "Nouvelle astuce : « Réseau informatique »" in text_of(page)
    assert seen == ["Sauvegarder avant la mise à jour"]
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_another_application_knows_nothing_of_it(app, tips_app):
    assert "tips.record" in handlers(tips_app)
    assert "tips.record" not in handlers(app)
    assert "tip_posted" not in kinds(app)
    with pytest.raises(LookupError):
        notifications.notify("tip_posted", [1], network=None, target_type="tip_network",
                             target_id=1)
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0
