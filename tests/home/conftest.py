"""The dashboard tests share the activity tests' scene."""
from tests.activity.conftest import other, signed_in, space  # noqa: F401 - fixtures
