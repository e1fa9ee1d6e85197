"""Language choice and date formatting (French first, Europe/Paris)."""
from __future__ import annotations

from datetime import UTC, datetime

from babel import Locale
from babel.dates import get_month_names
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale, get_timezone, get_translations
from flask_login import current_user

MEDIUM_DATETIME = "d MMM y, HH:mm"  # "29 nov. 2026, 21:37"


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
    locale = get_locale()
    if locale is None or not isinstance(value, datetime):
        return format_datetime(value, MEDIUM_DATETIME)
    return _medium_datetime(value, locale, get_timezone())


_abbreviated_months: dict[Locale, dict[int, str]] = {}


def _medium_datetime(value: datetime, locale: Locale, tzinfo) -> str:
    """What Babel's format_datetime(value, MEDIUM_DATETIME, tzinfo, locale) returns, without
    building a DateTimeFormat for each of the dozens of dates of a page: the same conversion
    (naive values are UTC; pytz zones normalised) and the locale's own month abbreviations."""
    local = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if tzinfo is not None:
        local = local.astimezone(tzinfo)
        if hasattr(tzinfo, "normalize"):  # pytz
            local = tzinfo.normalize(local)
    months = _abbreviated_months.get(locale)
    if months is None:
        names = get_month_names("abbreviated", "format", locale)
        months = _abbreviated_months[locale] = {month: names[month] for month in range(1, 13)}
    return f"{local.day} {months[local.month]} {local.year}, {local.hour:02d}:{local.minute:02d}"


def html_datetime(value: datetime | None) -> str:
    """A `<time datetime>` value: UTC to the second (HTML allows at most milliseconds)."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def date_filter(value, fmt: str = "long") -> str:
    if value is None:
        return ""
    return format_date(value, fmt)


def current_translations():
    """The translations of the current locale, as `flask_babel.get_translations()` returns
    them, found in two attribute reads once looked up in this context (templates call
    `_()` dozens of times a page; Flask-Babel's own path costs several context lookups
    each time). Follows `force_locale()`: the cache is keyed by the locale object."""
    context = getattr(g, "_flask_babel", None) if g else None
    locale = getattr(context, "babel_locale", None)
    if locale is None:
        return get_translations()
    cached = getattr(context, "tilt_translations", None)
    if cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    context.tilt_translations = (locale, translations)
    return translations


def install_gettext(environment) -> None:
    """Templates translate in the current language (the app's environment and the one of
    kept fragments, core/fragments.py)."""
    environment.install_gettext_callables(
        gettext=lambda string: current_translations().ugettext(string),
        ngettext=lambda singular, plural, n: current_translations().ungettext(
            singular, plural, n),
        pgettext=lambda context, string: current_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: current_translations().unpgettext(
            context, singular, plural, n),
        newstyle=True)


def init_i18n(app: Flask) -> None:
    from workspace.extensions import babel

    babel.init_app(app, locale_selector=select_locale)
    install_gettext(app.jinja_env)
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["html_datetime"] = html_datetime

    @app.context_processor
    def inject_locale():
        path = request.full_path.rstrip("?") if has_request_context() else "/"
        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"],
                "request_path": path}
