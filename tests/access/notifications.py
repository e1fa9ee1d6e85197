"""Access expectations of the notifications routes."""
from __future__ import annotations

from tests.access.common import LOGIN, admin_only, expect, in_network, signed_in  # noqa: F401

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("notifications.notification_list", "GET"): signed_in(200),
    ("notifications.notification_state", "GET"): signed_in(200),  # one's own bell
    # the member's own notification: everybody else, administrators included, gets 404
    ("notifications.notification_open", "GET"): expect(LOGIN, 302, 404, 404, 404),
    ("notifications.notification_read", "POST"): expect(LOGIN, 302, 404, 404, 404),
    ("notifications.notification_read_all", "POST"): signed_in(302),
    ("notifications.preferences", "GET"): signed_in(200),
    ("notifications.preferences", "POST"): signed_in(200),  # empty form: the problems shown
    # the member's unsubscribe link: works signed out, 404 to anyone else signed in
    ("notifications_public.unsubscribe", "GET"): expect(200, 200, 404, 404, 404),
    ("notifications_public.unsubscribe", "POST"): expect(200, 200, 404, 404, 404),
}


def build(users: dict, private, values: dict) -> dict:
    """A mention of the member in the private network's forum post; their unsubscribe token."""
    from workspace.extensions import db
    from workspace.forums.models import Post
    from workspace.notifications import service

    post = db.session.get(Post, values["post_id"])
    [notification] = service.notify("mention", [users["member"].id], network=private,
                                    target_type="forum_post", target_id=post.id,
                                    actor=users["coordinator"])
    return {"notification_id": notification.id,
            "ntoken": service.unsubscribe_token(users["member"], "mention")}
