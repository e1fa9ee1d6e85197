"""Access expectations of the activity routes."""
from __future__ import annotations

from tests.access.common import LOGIN, admin_only, expect, in_network, signed_in  # noqa: F401

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("activity.network_activity", "GET"): in_network(200, 200),
    ("activity.feed_settings", "GET"): in_network(200, 200),
    ("activity.feed_settings", "POST"): in_network(200, 200),  # empty form: nothing changes
    # the member's own feed address: a feed reader (no session) or the member; 404 to others
    ("activity_feed.feed", "GET"): expect(200, 200, 404, 404, 404),
}


def build(users: dict, private, values: dict) -> dict:
    """Create this feature's objects in the private network; return the URL values."""
    from workspace.activity import feeds

    return {"feed_token": feeds.issue_token(users["member"], private)}
