"""The demo tutorials load once, in the IT network, with a history to show."""
from __future__ import annotations

from sqlalchemy import select

from workspace.demo import load_demo_data
from workspace.demo.tutorials import load_demo_tutorials
from workspace.extensions import db
from workspace.tutorials import service
from workspace.tutorials.models import Tutorial


def test_demo_tutorials_are_loaded_once(app):
    load_demo_data()
    db.session.commit()
    tutorials = db.session.scalars(select(Tutorial).order_by(Tutorial.position)).all()
    assert [t.title for t in tutorials] == ["Filtres dans Zimbra", "Partager un agenda Zimbra",
                                           "Déposer un document dans Alfresco"]
    assert {t.network_id for t in tutorials} == {tutorials[0].network_id}
    assert len(service.history(tutorials[0])) == 2
    assert "<table>" in tutorials[2].body_html
    assert load_demo_tutorials() is False
