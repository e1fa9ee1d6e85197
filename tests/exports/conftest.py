"""Fixtures of the export tests: the calendar tests' network and people (`signed_in` comes
from tests/conftest.py)."""
from __future__ import annotations

import pytest

from tests.calendar.helpers import make_people


@pytest.fixture
def people(make_user, make_network, make_organisation):
    return make_people(make_user, make_network, make_organisation)
