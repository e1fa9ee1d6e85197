"""Fixtures of the administration tests: a signed-in administrator and e-mail helpers."""
from __future__ import annotations

import re

import pytest

INVITATION_LINK = re.compile(r"http://tilt\.test/invitation/[\w-]+")


@pytest.fixture
def admin(make_user):
    return make_user(first_name="Alice", last_name="Admin", is_admin=True)


@pytest.fixture
def admin_client(client, admin, login):
    login(client, admin)
    return client


@pytest.fixture
def invitation_links(mailbox):
    """The invitation links received so far by an address, oldest first."""

    def links(address: str) -> list[str]:
        return [match for message in mailbox.to(address)
                for match in INVITATION_LINK.findall(message.get_body(("plain",)).get_content())]

    return links
