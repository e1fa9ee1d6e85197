"""Post numbers and the counters of topics and categories, computed by the database.

Replies arrive at the same instant (gunicorn workers, the reply-by-e-mail poll): a number
or a count read into Python and written back as a value would lose the other writers'
changes. So counters are assigned SQL expressions (`Category.post_count + 1`): the UPDATE
adds to the stored value. A new post's number is taken by the UPDATE of its topic
(`last_number = last_number + 1`) and read back afterwards: that UPDATE holds the topic's
row until the commit (a row lock on PostgreSQL, the single writer lock on SQLite), so the
next reply waits for it and reads the number after. Whatever else changes a topic's counts
(deletion, hiding, moving) takes the same lock first (`lock_topic`). Locks are always taken
topic first, then categories in the order of their ids: two transactions never wait for
each other.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select

from workspace.auth.models import User
from workspace.extensions import db
from workspace.forums.models import Category, Post, Topic


def take_number(topic: Topic, author: User, at: datetime) -> int:
    """Count a new post in its topic (already stored) and its category; return the post's
    number. The topic's row stays locked until the commit."""
    topic.last_number = Topic.last_number + 1
    topic.post_count = Topic.post_count + 1
    topic.last_post_at, topic.last_post_author = at, author
    db.session.flush()  # the UPDATE that takes the lock, before the category's
    # read under the lock: the number this UPDATE stored, the category the topic is in now
    # (a coordinator may have moved it while this reply waited)
    db.session.refresh(topic, ["last_number", "category_id"])
    add_to_category(db.session.get(Category, topic.category_id), posts=1, active_at=at)
    db.session.flush()
    return topic.last_number


def lock_topic(topic: Topic) -> Topic:
    """Hold the topic's row until the commit (an UPDATE that changes nothing), then read it
    again: its counters are the ones the next writer will start from."""
    topic.last_number = Topic.last_number
    db.session.flush()
    db.session.refresh(topic)
    return topic


def recount(topic: Topic, before: int) -> None:
    """After a post of the topic (locked with `lock_topic` when it had `before` visible
    posts) was deleted, hidden or brought back: the topic counts its visible posts again,
    its category moves by the difference."""
    visible = db.session.scalar(select(func.count(Post.id)).where(
        Post.topic_id == topic.id, Post.is_deleted.is_(False), Post.is_hidden.is_(False))) or 0
    topic.post_count = visible  # a value is safe here: the topic is locked
    if visible != before:
        add_to_category(db.session.get(Category, topic.category_id), posts=visible - before)
    db.session.flush()


def add_to_category(category: Category, *, topics: int = 0, posts: int = 0,
                    active_at: datetime | None = None) -> None:
    """Move a category's counters by these amounts (written at the next flush); `active_at`
    becomes its last activity unless a later one is stored."""
    if topics:
        category.topic_count = Category.topic_count + topics
    if posts:
        category.post_count = Category.post_count + posts
    if active_at is not None:
        category.last_post_at = case((Category.last_post_at > active_at,
                                      Category.last_post_at), else_=active_at)


def move_to_category(topic: Topic, target: Category) -> None:
    """A topic (locked with `lock_topic`) leaves its category for another with its posts.
    Both categories are written in one flush, which orders them by id."""
    source = db.session.get(Category, topic.category_id)
    add_to_category(source, topics=-1, posts=-topic.post_count)
    add_to_category(target, topics=1, posts=topic.post_count, active_at=topic.last_post_at)
    topic.category = target
    db.session.flush()
