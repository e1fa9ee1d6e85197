"""The dashboard tests share the activity tests' scene (`signed_in` comes from
tests/conftest.py)."""
from __future__ import annotations

import pytest

from tests.activity.conftest import OTHER, SPACE, Space, new_space


@pytest.fixture
def space(make_user, make_network, make_organisation) -> Space:
    return new_space(make_user, make_network, make_organisation, *SPACE)


@pytest.fixture
def other(make_user, make_network, make_organisation) -> Space:
    return new_space(make_user, make_network, make_organisation, *OTHER)
