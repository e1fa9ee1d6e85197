"""Personal data (RGPD export, anonymisation), audit log of security events, legal pages."""
from flask import Flask


def init_app(app: Flask) -> None:
    from workspace.core.jobs import register_job, register_periodic
    from workspace.core.security_events import security_event
    from workspace.networks.access import share_with_templates
    from workspace.privacy import access, anonymise, audit, models  # noqa: F401 - tables, jobs
    from workspace.privacy.cli import cli
    from workspace.privacy.legal_views import bp as legal_bp
    from workspace.privacy.views import bp

    app.config.setdefault("AUDIT_RETENTION_DAYS", 365)
    app.config.setdefault("DATA_ARCHIVE_LIMIT", "5 per hour")
    security_event.connect(audit.on_security_event)  # the same function: connected once
    app.register_blueprint(bp)
    app.register_blueprint(legal_bp)
    app.cli.add_command(cli)
    register_job(app, "privacy.audit_purge", audit.purge_job)
    register_periodic(app, "privacy.audit_purge", "privacy.audit_purge", daily_at="04:10")
    app.jinja_env.globals["is_anonymised"] = anonymise.is_anonymised
    share_with_templates(app, *access.PREDICATES)
