"""Fixtures of the calendar tests: a private network of Coulaines and Le Mans people, its
coordinator, and a member of another network (`signed_in` comes from tests/conftest.py)."""
from __future__ import annotations

import pytest

from tests.calendar.helpers import make_people


@pytest.fixture
def people(make_user, make_network, make_organisation):
    return make_people(make_user, make_network, make_organisation)
