"""Fixtures of the export tests: the calendar tests' network and people."""
from tests.calendar.conftest import people  # noqa: F401 - fixture
from tests.calendar.helpers import signed_in  # noqa: F401 - fixture
