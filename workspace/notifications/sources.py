"""The features' objects that notifications point at, and the kinds with an e-mail of their
own (the forum's follow e-mails, the join requests, the waiting-list promotion).

Like the gathering features, this module reads the others' models; they only call
`service.notify()`, so no feature imports it.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from workspace.core.urls import public_url
from workspace.documents.models import Document
from workspace.extensions import db
from workspace.forums.models import Post, Subscription
from workspace.meetings.models import ActionItem, Meeting
from workspace.networks import access as network_access
from workspace.networks.models import REQUEST_APPROVED, JoinRequest
from workspace.notifications.targets import MailSpec, Target, register_mail, register_target
from workspace.workshops.models import Workshop


def _slug(network) -> dict:
    return {"network_slug": network.slug}


def _action_place(item: ActionItem, network) -> tuple[str, dict]:
    if item.meeting_id is not None:
        return "meetings.meeting_detail", {**_slug(network), "meeting_id": item.meeting_id}
    return "meetings.action_list", _slug(network)


TARGETS = (
    Target("forum_post", Post, title=lambda post: post.topic.title,
           place=lambda post, network: ("forums.post_link", {**_slug(network),
                                                             "post_id": post.id}),
           visible=lambda user, post, network: post.is_visible and not post.topic.is_hidden,
           excerpt=lambda post: post.body),
    Target("meeting", Meeting, title=lambda meeting: meeting.title,
           place=lambda meeting, network: ("meetings.meeting_detail", {
               **_slug(network), "meeting_id": meeting.id})),
    Target("action_item", ActionItem, title=lambda item: item.title, place=_action_place),
    Target("workshop", Workshop, title=lambda workshop: workshop.title,
           place=lambda workshop, network: ("workshops.workshop_detail", {
               **_slug(network), "workshop_id": workshop.id})),
    Target("document", Document, title=lambda document: document.title,
           place=lambda document, network: ("documents.document_detail", {
               **_slug(network), "document_id": document.id}),
           visible=lambda user, document, network: document.deleted_at is None and (
               document.folder is None or document.folder.deleted_at is None)),
    # a request, as the coordinators see it: only while they manage the network
    Target("join_request", JoinRequest, title=lambda request: request.network.name,
           place=lambda request, network: ("network.request_list", _slug(network)),
           visible=lambda user, request, network: network_access.can_manage_network(
               user, network)),
    # the answer, as the requester sees it: theirs, even when they were refused
    Target("join_answer", JoinRequest, title=lambda request: request.network.name,
           place=lambda request, network: ("networks.network_list", {}),
           visible=lambda user, request, network: request.user_id == user.id,
           needs_network_view=False),
)


# --- e-mails of their own ---------------------------------------------------------------

def _forum_context(resolved, user) -> dict:
    post = resolved.obj
    return {"post": post, "topic": post.topic, "network": resolved.network}


def _follow_context(resolved, user) -> dict | None:
    """The follow that brings this e-mail, read now: unfollowed in between, nothing is sent."""
    from workspace.forums import notify as forum_notify

    post = resolved.obj
    rows = db.session.scalars(select(Subscription).where(
        Subscription.user_id == user.id,
        (Subscription.topic_id == post.topic_id)
        | (Subscription.category_id == post.topic.category_id))).all()
    if not rows:
        return None
    by_topic = any(row.topic_id for row in rows)
    followed = {"topic": post.topic} if by_topic else {"category": post.topic.category}
    link = public_url("forums_public.unsubscribe",
                      token=forum_notify.unsubscribe_token(user, **followed))
    return {**_forum_context(resolved, user), "followed": followed, "unsubscribe": link,
            "list_unsubscribe": link}


MAILS = {
    "forum_post": MailSpec(
        "forum_new_post", lambda r: _("[%(network)s] %(title)s", network=r.network.name,
                                      title=r.title),
        _follow_context),
    "mention": MailSpec(
        "forum_mention", lambda r: _("%(name)s vous a mentionné dans « %(title)s »",
                                     name=r.actor.full_name if r.actor else _("ancien membre"),
                                     title=r.title),
        _forum_context),
    "seat_promoted": MailSpec(
        "workshop_promoted", lambda r: _("Une place s'est libérée : %(title)s", title=r.title),
        lambda r, user: {"workshop": r.obj}),
    "join_request": MailSpec(
        "join_request", lambda r: _("Demande d'adhésion au réseau %(name)s",
                                    name=r.network.name),
        lambda r, user: {"requester": r.obj.user, "join_request": r.obj}),
    "join_decision": MailSpec(
        "join_decision", lambda r: _("Votre demande d'adhésion au réseau %(name)s",
                                     name=r.network.name),
        lambda r, user: {"join_request": r.obj, "approved": r.obj.status == REQUEST_APPROVED,
                         "link": public_url("network.detail", **_slug(r.network))}),
}


def register_all() -> None:
    for target in TARGETS:
        register_target(target)
    for kind, spec in MAILS.items():
        register_mail(kind, spec)
