"""The needs register of a network."""
from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import gettext as _

    from workspace.needs import access, models, search, service  # noqa: F401 - tables
    from workspace.needs.models import Need
    from workspace.needs.views import bp
    from workspace.networks.access import share_with_templates
    from workspace.workshops.origins import WorkshopOrigin, register_workshop_origin

    app.register_blueprint(bp)
    search.init_search(app)
    register_workshop_origin(app, WorkshopOrigin(
        "need", Need, prefill=lambda need: {"title": need.title, "description": need.description},
        notice=lambda need: _("Cet atelier répondra au besoin « %(title)s ».", title=need.title),
        created=service.answer_with_workshop))
    share_with_templates(app, *access.PREDICATES)
