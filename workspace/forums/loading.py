"""The forum blueprint and the loaders its pages share (404 for what the reader may not see):
the readers' pages (`views.py`) and the coordinators' (`moderation_views.py`) both use them."""
from __future__ import annotations

from flask import abort, g
from flask_login import current_user

from workspace.extensions import db
from workspace.forums import access
from workspace.forums.models import Category, Topic
from workspace.networks.access import network_scoped_blueprint

bp = network_scoped_blueprint("forums", __name__, url_prefix="/forum")


def moderator() -> bool:
    return access.can_moderate(current_user, g.network)


def category_or_404(category_id: int) -> Category:
    category = db.session.get(Category, category_id)
    if category is None or category.network_id != g.network.id:
        abort(404)
    return category


def topic_or_404(topic_id: int) -> Topic:
    return visible_topic_or_404(db.session.get(Topic, topic_id))


def visible_topic_or_404(topic: Topic | None, reader=current_user) -> Topic:
    if topic is None or topic.network_id != g.network.id or \
            not access.can_see_topic(reader, topic):
        abort(404)
    return topic
