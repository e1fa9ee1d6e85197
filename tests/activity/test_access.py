"""Activity predicates, without HTTP: who follows a network's stream and opens a feed."""
from __future__ import annotations

from tests.roles import EVERYONE_INSIDE
from workspace.activity import access, feeds
from workspace.extensions import db
from workspace.networks.models import Membership


def test_the_stream_is_for_those_who_see_the_network(roles):
    assert roles.who(access.can_follow_activity, roles.network) == EVERYONE_INSIDE
    assert roles.who(access.can_read_activity_feed, roles.network) == EVERYONE_INSIDE
    assert roles.who(access.can_open_activity_feed, roles.member) == {"member", "anonymous"}


def test_a_feed_token_closes_when_its_reader_leaves_or_is_deactivated(roles):
    token = feeds.issue_token(roles.member, roles.network)
    db.session.commit()
    assert feeds.feed_target(token) == (roles.member, roles.network)
    db.session.delete(db.session.get(Membership, _membership_id(roles)))
    db.session.commit()
    assert not access.can_read_activity_feed(roles.member, roles.network)
    assert feeds.feed_target(token) is None
    roles.coordinator.is_active = False
    db.session.commit()
    assert not access.can_read_activity_feed(roles.coordinator, roles.network)


def _membership_id(roles):
    from sqlalchemy import select

    return db.session.scalar(select(Membership.id).where(
        Membership.user_id == roles.member.id, Membership.network_id == roles.network.id))
