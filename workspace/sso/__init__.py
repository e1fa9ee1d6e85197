"""Single sign-on: the directory (LDAP / Active Directory) and OpenID Connect providers
(ProConnect...). Off unless configured: `make run` signs in with passwords only."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.auth.service import register_password_check, register_session_check
    from workspace.sso import ldap, models  # noqa: F401 - tables
    from workspace.sso.views import bp

    app.register_blueprint(bp)
    if app.config["LDAP_URL"]:
        register_password_check(app, "ldap", ldap.check_password)
        register_session_check(app, ldap.PROVIDER, ldap.still_there,
                               lambda: app.config["LDAP_RECHECK_SECONDS"])
    if app.config["OIDC_PROVIDERS"]:
        from workspace.sso import oidc

        oidc.init_app(app)
