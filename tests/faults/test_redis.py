"""Redis (the shared store of sign-in failures) is away: signing in still works and is
still throttled, by counters kept in the process, with the usual French message; once
Redis is back the shared counters are used again."""
import uuid

import pytest

from config import TestingConfig
from tests.auth.test_throttle_redis import _redis_available
from tests.conftest import PASSWORD, _free_port, require, text_of
from tests.faults.conftest import TcpRelay
from workspace import create_app

THROTTLED = "Trop de tentatives de connexion. Patientez quelques minutes avant de réessayer."


def attempt(client, email, password="wrong password!!"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": "10.3.0.1"})


def app_with_storage(app_config, uri: str):
    """Another application on the test's database, its sign-in counted in `uri`; asked
    again at once after a failure (LOGIN_LIMIT_FALLBACK_SECONDS = 0) so that the test sees
    Redis come back."""
    return create_app(TestingConfig, **app_config, RATELIMIT_STORAGE_URI=uri,
                      RATELIMIT_KEY_PREFIX=f"tilt-test-{uuid.uuid4().hex}",
                      LOGIN_LIMIT_FALLBACK_SECONDS=0)


def test_sign_in_works_and_is_throttled_when_redis_is_unreachable(app_config, make_user):
    alice, bob = make_user(), make_user()
    app = app_with_storage(app_config, f"redis://127.0.0.1:{_free_port()}/0")  # nobody there
    client = app.test_client()
    assert attempt(client, alice.email, PASSWORD).status_code == 302
    other = app.test_client()
    for _ in range(10):
        assert attempt(other, bob.email).status_code == 401
    throttled = attempt(other, bob.email, PASSWORD)
    assert throttled.status_code == 429 and THROTTLED in text_of(throttled)


@pytest.mark.redis
def test_redis_going_away_and_coming_back(app_config, make_user):
    require(_redis_available(), "Redis is not reachable on 127.0.0.1:6379")
    relay = TcpRelay("127.0.0.1", 6379)
    relay.start()
    try:
        user, other = make_user(), make_user()
        app = app_with_storage(app_config, f"redis://127.0.0.1:{relay.port}/15")
        client = app.test_client()
        for _ in range(3):  # counted in Redis
            assert attempt(client, user.email).status_code == 401
        relay.stop()  # Redis away: counted in the process, from zero
        assert attempt(app.test_client(), other.email, PASSWORD).status_code == 302
        for _ in range(10):
            assert attempt(client, user.email).status_code == 401
        assert attempt(client, user.email).status_code == 429
        relay.start()  # Redis back: its count (3) is the one that matters again
        for _ in range(7):
            assert attempt(client, user.email).status_code == 401
        assert THROTTLED in text_of(attempt(client, user.email))
    finally:
        relay.stop()
