"""Who may read, write and moderate in a network's forum."""
from __future__ import annotations

from workspace.auth.models import User
from workspace.extensions import db
from workspace.forums.models import Post, Topic
from workspace.networks import access as network_access
from workspace.networks.models import Network


def _network(network_id: int) -> Network:
    return db.session.get(Network, network_id)


def can_moderate(user: User, network: Network) -> bool:
    return network_access.can_manage_network(user, network)


def can_write(user: User, network: Network) -> bool:
    return network_access.can_contribute(user, network)


def can_see_topic(user: User, topic: Topic) -> bool:
    network = _network(topic.network_id)
    if not network_access.can_view_network(user, network):
        return False
    return not topic.is_hidden or can_moderate(user, network)


def can_see_post(user: User, post: Post, topic: Topic) -> bool:
    """Hidden and deleted posts are shown to moderators only (marked as such)."""
    if not can_see_topic(user, topic):
        return False
    return post.is_visible or can_moderate(user, _network(topic.network_id))


def can_reply(user: User, topic: Topic) -> bool:
    network = _network(topic.network_id)
    if not can_write(user, network):
        return False
    return not topic.is_locked or can_moderate(user, network)


def can_edit_post(user: User, post: Post) -> bool:
    network = _network(post.topic.network_id)
    if can_moderate(user, network):
        return True
    return (post.author_id == user.id and not post.is_deleted and not post.is_hidden
            and can_write(user, network) and not post.topic.is_locked)
