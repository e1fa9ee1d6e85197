"""With Redis storage (production), the sign-in limit holds across worker processes."""
import subprocess
import sys
import textwrap
import uuid

import pytest

from config import TestingConfig
from tests.conftest import ROOT_DIR, require
from workspace import create_app

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


@pytest.mark.redis
def test_limit_holds_across_processes(app_config, make_user):
    require(_redis_available(), "Redis is not reachable on 127.0.0.1:6379")
    prefix = f"tilt-test-{uuid.uuid4().hex}"
    user = make_user()
    # "Worker" 1: another process makes 10 failed attempts.
    script = textwrap.dedent(f"""
        from config import TestingConfig
        from workspace import create_app
        app = create_app(TestingConfig,
                         SQLALCHEMY_DATABASE_URI={app_config['SQLALCHEMY_DATABASE_URI']!r},
                         DATA_DIR={app_config['DATA_DIR']!r}, RATELIMIT_STORAGE_URI={REDIS_URL!r},
                         RATELIMIT_KEY_PREFIX={prefix!r})
        client = app.test_client()
        codes = [client.post("/login",
                             data={{"email": {user.email!r}, "password": "wrong!!wrong!!"}},
                             environ_base={{"REMOTE_ADDR": "10.1.0.1"}}).status_code
                 for _ in range(10)]
        assert codes == [401] * 10, codes
    """)
    subprocess.run([sys.executable, "-c", script], cwd=ROOT_DIR, check=True, timeout=60)
    # "Worker" 2: this process, with its own app and no in-memory history, is throttled.
    worker = create_app(TestingConfig, **app_config, RATELIMIT_STORAGE_URI=REDIS_URL,
                        RATELIMIT_KEY_PREFIX=prefix)
    response = worker.test_client().post(
        "/login", data={"email": user.email, "password": "wrong!!wrong!!"},
        environ_base={"REMOTE_ADDR": "10.1.0.2"})
    assert response.status_code == 429
