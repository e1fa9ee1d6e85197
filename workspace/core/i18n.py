"""Language choice and date formatting (French first, Europe/Paris)."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user


def select_locale() -> str:
    """The user's chosen language, else the one chosen this session, else French."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # worker, command line: French unless forced
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def datetime_filter(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if fmt == "long":
        return format_datetime(value, "EEEE d MMMM y 'à' HH:mm" if str(get_locale()) == "fr"
                               else "EEEE d MMMM y 'at' HH:mm")
    return format_datetime(value, "d MMM y, HH:mm")


def date_filter(value, fmt: str = "long") -> str:
    if value is None:
        return ""
    return format_date(value, fmt)


def init_i18n(app: Flask) -> None:
    from workspace.extensions import babel

    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["date"] = date_filter

    @app.context_processor
    def inject_locale():
        path = request.full_path.rstrip("?") if has_request_context() else "/"
        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"],
                "request_path": path}
