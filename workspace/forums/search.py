"""How forum posts become search documents: hidden or deleted posts and posts of a hidden
topic are not findable."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workspace.auth.models import User
from workspace.core.markdown import html_text
from workspace.extensions import db
from workspace.forums.models import Post, Topic
from workspace.search.build import authored_by, object_path, person
from workspace.search.registry import Dependency, SearchDoc, register


def post_document(post: Post) -> SearchDoc | None:
    topic = post.topic
    if not post.is_visible or topic is None or topic.is_hidden:
        return None
    author, commune = person(post.author)
    return SearchDoc("post", post.id, topic.network_id, topic.title,
                     html_text(post.body_html, post.body),
                     object_path("forums.post_link", topic.network_id, post_id=post.id),
                     author, commune, post.created_at)


def _posts_of_topic(topic: Topic) -> list[int]:
    return list(db.session.scalars(select(Post.id).where(Post.topic_id == topic.id)))


def init_search(app: Flask) -> None:
    """Make forums findable in this application."""
    register(app, "post", Post, post_document, label=_l("Message du forum"),
             load_options=[selectinload(Post.topic),
                           selectinload(Post.author).selectinload(User.organisation)],
             fields=("body", "is_deleted", "is_hidden", "topic_id", "author_id"),
             depends=[Dependency(Topic, _posts_of_topic, ("title", "is_hidden", "network_id")),
                      authored_by(Post.author_id)])
