"""Following topics and categories, and the e-mails about new posts, mentions and reports.

E-mails are decided when the job runs, not when the post is written: someone who left the
network (or lost access) in between gets nothing.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from workspace.auth.models import User
from workspace.core.jobs import enqueue, job_handler
from workspace.core.mail import queue_template_mail
from workspace.core.urls import public_url
from workspace.extensions import db
from workspace.forums.models import Category, Post, Report, Subscription, Topic
from workspace.networks import access as network_access
from workspace.networks.models import Network
from workspace.networks.service import coordinators

TOKEN_SALT = "forum-unsubscribe"


# --- following -------------------------------------------------------------------------

def _subscription(user: User, topic: Topic | None = None,
                  category: Category | None = None) -> Subscription | None:
    return db.session.scalar(select(Subscription).where(
        Subscription.user_id == user.id,
        Subscription.topic_id == (topic.id if topic else None) if topic
        else Subscription.topic_id.is_(None),
        Subscription.category_id == (category.id if category else None) if category
        else Subscription.category_id.is_(None)))


def is_following(user: User, topic: Topic | None = None, category: Category | None = None
                 ) -> bool:
    return _subscription(user, topic, category) is not None


def follow_topic(user: User, topic: Topic) -> None:
    if _subscription(user, topic=topic) is None:
        db.session.add(Subscription(user_id=user.id, topic_id=topic.id))


def follow_category(user: User, category: Category) -> None:
    if _subscription(user, category=category) is None:
        db.session.add(Subscription(user_id=user.id, category_id=category.id))


def unfollow(user: User, topic: Topic | None = None, category: Category | None = None) -> None:
    subscription = _subscription(user, topic, category)
    if subscription is not None:
        db.session.delete(subscription)


# --- unsubscribe tokens ----------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def unsubscribe_token(user: User, topic: Topic | None = None,
                      category: Category | None = None) -> str:
    kind, target = ("topic", topic.id) if topic else ("category", category.id)
    return _serializer().dumps([user.id, kind, target])


def read_unsubscribe_token(token: str) -> tuple[int, str, int] | None:
    try:
        user_id, kind, target = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if kind not in ("topic", "category") or not isinstance(user_id, int) \
            or not isinstance(target, int):
        return None
    return user_id, kind, target


# --- queued e-mails --------------------------------------------------------------------

def queue_new_post(post: Post) -> None:
    enqueue("forums.new_post", {"post_id": post.id})


def queue_mentions(post: Post, user_ids: list[int]) -> None:
    enqueue("forums.mentions", {"post_id": post.id, "user_ids": user_ids})


def queue_report(report: Report) -> None:
    enqueue("forums.report", {"report_id": report.id})


def _post_context(post: Post) -> tuple[Topic, Network, str]:
    topic = post.topic
    network = db.session.get(Network, topic.network_id)
    link = public_url("forums.post_link", network_slug=network.slug, post_id=post.id)
    return topic, network, link


def _may_receive(user: User, topic: Topic, network: Network, post: Post) -> bool:
    """Still active, still allowed to see the network, the topic and the post."""
    return (user.is_active and network_access.can_view_network(user, network)
            and not topic.is_hidden and post.is_visible)


def _list_headers(link: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


@job_handler("forums.new_post")
def send_new_post(payload: dict) -> None:
    post = db.session.get(Post, payload["post_id"])
    if post is None or not post.is_visible:
        return
    topic, network, link = _post_context(post)
    mentioned = set(payload.get("skip", []))
    from workspace.forums.models import Mention

    mentioned |= set(db.session.scalars(select(Mention.user_id).where(Mention.post_id == post.id)))
    subscriptions = db.session.scalars(select(Subscription).where(
        (Subscription.topic_id == topic.id) | (Subscription.category_id == topic.category_id)))
    chosen: dict[int, Subscription] = {}
    for subscription in subscriptions:
        if subscription.user_id == post.author_id or subscription.user_id in mentioned:
            continue
        if subscription.user_id not in chosen or subscription.topic_id:
            chosen[subscription.user_id] = subscription  # the topic's link is the precise one
    for user_id, subscription in chosen.items():
        user = db.session.get(User, user_id)
        if user is None or not _may_receive(user, topic, network, post):
            continue
        target = {"topic": topic} if subscription.topic_id else {"category": topic.category}
        unsubscribe = public_url("forums_public.unsubscribe",
                                 token=unsubscribe_token(user, **target))
        with force_locale(user.locale or "fr"):
            subject = _("[%(network)s] %(title)s", network=network.name, title=topic.title)
        queue_template_mail(user, subject, "forum_new_post", headers=_list_headers(unsubscribe),
                            post=post, topic=topic, network=network, link=link,
                            unsubscribe=unsubscribe, followed=target)


@job_handler("forums.mentions")
def send_mentions(payload: dict) -> None:
    post = db.session.get(Post, payload["post_id"])
    if post is None or not post.is_visible:
        return
    topic, network, link = _post_context(post)
    for user_id in payload["user_ids"]:
        user = db.session.get(User, user_id)
        if user is None or not _may_receive(user, topic, network, post):
            continue
        with force_locale(user.locale or "fr"):
            subject = _("%(name)s vous a mentionné dans « %(title)s »",
                        name=post.author.full_name if post.author else _("ancien membre"),
                        title=topic.title)
        queue_template_mail(user, subject, "forum_mention", post=post, topic=topic,
                            network=network, link=link)


@job_handler("forums.report")
def send_report(payload: dict) -> None:
    report = db.session.get(Report, payload["report_id"])
    if report is None:
        return
    topic, network, link = _post_context(report.post)
    reports_link = public_url("forums.report_list", network_slug=network.slug)
    for coordinator in coordinators(network):
        with force_locale(coordinator.locale or "fr"):
            subject = _("[%(network)s] Message signalé : %(title)s", network=network.name,
                        title=topic.title)
        queue_template_mail(coordinator, subject, "forum_report", report=report, topic=topic,
                            network=network, link=link, reports_link=reports_link)
