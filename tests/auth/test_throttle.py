"""Sign-in throttling, per account and per address, with the same message either way."""
from tests.conftest import PASSWORD


def _attempt(client, email, password="wrong password!!", address="10.0.0.1"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_eleventh_wrong_password_in_a_row_is_throttled(client, make_user):
    user = make_user()
    for _ in range(10):
        assert _attempt(client, user.email).status_code == 401
    eleventh = _attempt(client, user.email)
    assert eleventh.status_code == 429
    assert "Trop de tentatives" in eleventh.get_data(as_text=True)
    # even the right password is refused while the account is throttled
    assert _attempt(client, user.email, PASSWORD).status_code == 429


def test_throttle_holds_per_account_across_addresses(client, make_user):
    user = make_user()
    for n in range(10):
        _attempt(client, user.email, address=f"10.0.1.{n}")
    assert _attempt(client, user.email, address="10.0.9.9").status_code == 429


def test_unknown_account_is_throttled_the_same_way(client):
    for _ in range(10):
        assert _attempt(client, "nobody@example.org").status_code == 401
    assert _attempt(client, "nobody@example.org").status_code == 429


def test_throttle_per_address_across_accounts(app, client):
    app.config["LOGIN_LIMIT_ADDRESS"] = "5 per 15 minutes"
    for n in range(5):
        _attempt(client, f"someone{n}@example.org", address="10.0.2.1")
    assert _attempt(client, "another@example.org", address="10.0.2.1").status_code == 429
    assert _attempt(client, "another@example.org", address="10.0.2.2").status_code == 401


def test_success_resets_the_account_counter(client, make_user):
    user = make_user()
    for _ in range(9):
        _attempt(client, user.email)
    assert _attempt(client, user.email, PASSWORD).status_code == 302
    client.post("/logout")
    for _ in range(9):
        assert _attempt(client, user.email).status_code == 401
    assert _attempt(client, user.email).status_code == 401
