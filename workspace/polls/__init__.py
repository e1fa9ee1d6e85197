"""Date polls: candidate slots answered yes / if need be / no, turned into a meeting or a
workshop when the coordinator picks one."""
from flask import Flask


def init_app(app: Flask) -> None:
    from datetime import timedelta

    from workspace.core.jobs import register_job, register_periodic
    from workspace.networks.access import share_with_templates
    from workspace.networks.panels import register_panel
    from workspace.polls import access, models, notifying, search, service  # noqa: F401
    from workspace.polls.views import bp, network_panel

    app.register_blueprint(bp)
    search.init_search(app)
    notifying.init_notifications(app)
    register_panel(app, "polls", network_panel)
    share_with_templates(app, *access.PREDICATES)
    register_job(app, "polls.sweep", service.sweep_job)
    register_periodic(app, "polls.sweep", "polls.sweep", every=timedelta(minutes=15))
