"""What the forums tell notifications: their kinds of events, the post as a target, their
own e-mails (a followed topic's new post, a mention) and what can be followed."""
from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workspace.core.urls import public_url
from workspace.forums.models import Category, Post, Topic
from workspace.notifications import follows
from workspace.notifications import service as notifications
from workspace.notifications.follows import FollowKind, register_follow_kind
from workspace.notifications.kinds import DAILY, IMMEDIATE, NONE, SITE, Kind, register_kind
from workspace.notifications.targets import MailSpec, Target, register_mail, register_target

KINDS = (
    Kind("mention", _l("Mentions de mon nom (@)"),
         _l("%(actor)s vous a mentionné dans « %(title)s »"), IMMEDIATE, order=10,
         one_per_target="post"),
    Kind("forum_post", _l("Nouveaux messages des sujets et catégories suivis"),
         _l("%(actor)s a écrit dans « %(title)s »"), DAILY, order=20, one_per_target="post"),
    # important announcements go at once whatever the digest setting: no digest offered
    Kind("announcement", _l("Annonces importantes des coordinateurs"),
         _l("Annonce importante : « %(title)s »"), IMMEDIATE, (IMMEDIATE, SITE, NONE),
         order=30, one_per_target="post", important_keeps_site=True),
)


def _forum_context(resolved, user) -> dict:
    post = resolved.obj
    return {"post": post, "topic": post.topic, "network": resolved.network}


def _follow_context(resolved, user) -> dict | None:
    """The follow that brings this e-mail, read now: unfollowed in between, nothing is sent."""
    post = resolved.obj
    if follows.is_following(user, "topic", post.topic_id):
        followed, scope = {"topic": post.topic}, ("topic", post.topic_id)
    elif follows.is_following(user, "category", post.topic.category_id):
        followed, scope = {"category": post.topic.category}, ("category", post.topic.category_id)
    else:
        return None
    link = public_url("notifications_public.unsubscribe", ntoken=notifications.unsubscribe_token(
        user, notifications.follow_scope(*scope)))
    return {**_forum_context(resolved, user), "followed": followed, "unsubscribe": link,
            "list_unsubscribe": link}


def init_notifications(app: Flask) -> None:
    for kind in KINDS:
        register_kind(app, kind)
    register_target(app, Target(
        "forum_post", Post, title=lambda post: post.topic.title,
        place=lambda post, network: ("forums.post_link", {"network_slug": network.slug,
                                                         "post_id": post.id}),
        visible=lambda user, post, network: post.is_visible and not post.topic.is_hidden,
        excerpt=lambda post: post.body))
    register_mail(app, "forum_post", MailSpec(
        "forum_new_post", lambda r: _("[%(network)s] %(title)s", network=r.network.name,
                                      title=r.title),
        _follow_context))
    register_mail(app, "mention", MailSpec(
        "forum_mention", lambda r: _("%(name)s vous a mentionné dans « %(title)s »",
                                     name=r.actor.full_name if r.actor else _("ancien membre"),
                                     title=r.title),
        _forum_context))
    register_follow_kind(app, FollowKind(
        "topic", Topic, lambda topic: _("le sujet « %(name)s »", name=topic.title)))
    register_follow_kind(app, FollowKind(
        "category", Category, lambda category: _("la catégorie « %(name)s »",
                                                 name=category.name)))
