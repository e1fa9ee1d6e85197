"""Networks of technicians and their membership; the access primitives of every feature."""
from flask import Flask


def init_app(app: Flask) -> None:
    from flask_login import current_user

    from workspace.auth.service import add_to_sign_in
    from workspace.networks import access, models  # noqa: F401 - registers the tables
    from workspace.networks.header import network_header
    from workspace.networks.views import bp, scoped

    app.register_blueprint(bp)
    app.register_blueprint(scoped)
    add_to_sign_in(app, "roles", access.roles_column, access.receive_roles)

    @app.context_processor
    def network_permissions():
        return {"can_manage_network": lambda n: access.can_manage_network(current_user, n),
                "is_member": lambda n: access.is_member(current_user, n),
                "can_view_network": lambda n: access.can_view_network(current_user, n),
                "can_create_network": lambda: access.can_create_network(current_user),
                "network_header": network_header}
