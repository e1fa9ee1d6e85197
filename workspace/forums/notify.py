"""Following topics and categories, and the e-mails about new posts, mentions and reports.

New posts and mentions are recorded as notifications (workspace.notifications), sent as each
person chose; e-mails are decided when their job runs, not when the post is written: someone
who left the network (or lost access) in between gets nothing.
"""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from workspace.auth.models import User
from workspace.core.errors import PermissionDenied
from workspace.core.jobs import enqueue
from workspace.core.mail import queue_template_mail
from workspace.core.urls import public_url
from workspace.extensions import db
from workspace.forums.models import Category, Post, Report, Topic
from workspace.networks import access as network_access
from workspace.networks.models import Network
from workspace.networks.service import coordinators
from workspace.notifications import follows
from workspace.notifications import service as notifications

# --- following: one follow model for every kind (workspace.notifications.follows) ----------

def is_following(user: User, topic: Topic | None = None, category: Category | None = None
                 ) -> bool:
    kind, target = ("topic", topic) if topic is not None else ("category", category)
    return follows.is_following(user, kind, target.id)


def follow_topic(user: User, topic: Topic) -> None:
    follows.follow(user, "topic", topic.id)


def follow_category(user: User, category: Category) -> None:
    follows.follow(user, "category", category.id)


def unfollow(user: User, topic: Topic | None = None, category: Category | None = None) -> None:
    kind, target = ("topic", topic) if topic is not None else ("category", category)
    follows.unfollow(user, kind, target.id)


def unsubscribe_token(user: User, topic: Topic | None = None,
                      category: Category | None = None) -> str:
    """The link of a follow e-mail: stop following this topic (or category)."""
    kind, target = ("topic", topic) if topic is not None else ("category", category)
    return notifications.unsubscribe_token(user, notifications.follow_scope(kind, target.id))


# --- queued e-mails --------------------------------------------------------------------

def queue_new_post(post: Post) -> None:
    """Notify the followers of the topic and of its category (each as they chose: site only,
    e-mail at once, digest); the e-mail is decided when it is sent (notifications)."""
    topic = post.topic
    followers = follows.follower_ids([("topic", topic.id), ("category", topic.category_id)])
    network = db.session.get(Network, topic.network_id)
    notifications.notify("forum_post", followers, network=network, target_type="forum_post",
                         target_id=post.id, actor=post.author)


def queue_mentions(post: Post, user_ids: list[int]) -> None:
    notifications.notify("mention", user_ids,
                         network=db.session.get(Network, post.topic.network_id),
                         target_type="forum_post", target_id=post.id, actor=post.author)


def queue_announcement(post: Post, author: User, network: Network) -> None:
    """A coordinator's important topic: every member hears of it at once."""
    if not network_access.can_manage_network(author, network):
        raise PermissionDenied(_("Seuls les coordinateurs publient des annonces importantes."))
    notifications.notify("announcement", notifications.member_ids(network), network=network,
                         target_type="forum_post", target_id=post.id, actor=author,
                         important=True)


def queue_report(report: Report) -> None:
    enqueue("forums.report", {"report_id": report.id})


def _post_context(post: Post) -> tuple[Topic, Network, str]:
    topic = post.topic
    network = db.session.get(Network, topic.network_id)
    link = public_url("forums.post_link", network_slug=network.slug, post_id=post.id)
    return topic, network, link


# Jobs queued by an earlier version: they now only record the notifications.
def send_new_post(payload: dict) -> None:
    post = db.session.get(Post, payload["post_id"])
    if post is not None and post.is_visible:
        queue_new_post(post)


def send_mentions(payload: dict) -> None:
    post = db.session.get(Post, payload["post_id"])
    if post is not None and post.is_visible:
        queue_mentions(post, payload["user_ids"])


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
