"""Access expectations of the date poll routes: members see and answer, coordinators open,
conclude and cancel; outsiders get 404 everywhere."""
from __future__ import annotations

from tests.access.common import in_network

EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    ("polls.poll_list", "GET"): in_network(200, 200),
    ("polls.poll_create", "GET"): in_network(403, 200),
    ("polls.poll_create", "POST"): in_network(403, 200),  # empty: the form says why
    ("polls.poll_detail", "GET"): in_network(200, 200),
    # no choice posted: told so (the administrator is no member: not asked)
    ("polls.poll_answer", "POST"): in_network(302, 302, admin=403),
    ("polls.poll_conclude", "GET"): in_network(403, 302),  # no slot chosen: back to the poll
    ("polls.poll_conclude", "POST"): in_network(403, 302),
    ("polls.poll_cancel", "POST"): in_network(403, 302),
}


def build(users: dict, private, values: dict) -> dict:
    """An open poll of the private network, by the coordinator."""
    from tests.polls.conftest import poll_data
    from workspace.polls import service

    poll = service.open_poll(users["coordinator"], private, poll_data())
    return {"poll_id": poll.id}
