"""Configuration classes. Values are overridden by ``WORKSPACE_*`` environment variables.

``WORKSPACE_SQLALCHEMY_DATABASE_URI``, ``WORKSPACE_SECRET_KEY``, ``WORKSPACE_DATA_DIR``,
``WORKSPACE_MAIL_SERVER`` ... each maps to the setting of the same name without the prefix
(``app.config.from_prefixed_env("WORKSPACE")``; JSON values such as ``true`` or ``587`` are
parsed). ``WORKSPACE_DATABASE_URL`` is accepted as a shorter alias of the database URI.
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# A secret that only exists so that a development checkout runs out of the box.
# ProductionConfig refuses to start with it (see workspace.create_app).
DEFAULT_SECRET_KEY = "dev-secret-key-change-me"


class Config:
    SECRET_KEY = DEFAULT_SECRET_KEY
    DATA_DIR = str(ROOT / "instance")  # SQLite file, uploaded files, search index
    # The file store (uploads, versions), shared by every host: empty means DATA_DIR/files.
    # With several hosts, point it at shared storage (NFS...); DATA_DIR stays each host's
    # own (its search index and cursor). docs/scaling.md
    FILES_DIR = ""
    SQLALCHEMY_DATABASE_URI = ""  # empty: SQLite file inside DATA_DIR
    # A pooled connection is tested before use (one round trip), so that a database restarted
    # or a connection cut by the server costs no request an error page.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # Links in e-mails are built from this, never the Host header. Empty: http://127.0.0.1:PORT,
    # the address `flask serve` listens on (`make run PORT=8000`, `flask serve --port 8000`).
    PUBLIC_URL = ""
    PORT = 5000  # of `flask serve`; WORKSPACE_PORT (the Makefile sets it from PORT)
    SITE_NAME = "Tilt · Réseaux de techniciens"

    # Sessions and cookies
    SESSION_COOKIE_NAME = "tilt_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_NAME = "tilt_remember"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    SESSION_LIFETIME_HOURS = 12  # a sign-in without "remember me" ends after this
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    # Accounts
    PASSWORD_MIN_LENGTH = 12
    PASSWORD_HASH_METHOD = "scrypt"  # werkzeug: scrypt, n=2**15, r=8, p=1
    RESET_TOKEN_HOURS = 2
    INVITATION_TOKEN_DAYS = 14
    LOGIN_LIMIT_ACCOUNT = "10 per 15 minutes"
    LOGIN_LIMIT_ADDRESS = "50 per 15 minutes"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_KEY_PREFIX = "tilt"
    RATELIMIT_HEADERS_ENABLED = False
    # An unreachable Redis answers within a second; sign-in then counts failures in this
    # process (auth/service.py). Passed to limits' storage (ignored by memory://).
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    LOGIN_LIMIT_FALLBACK_SECONDS = 30  # after a storage error, Redis is asked again after this
    PROXY_FIX_X_FOR = 0  # number of trusted reverse proxies in front of the app

    # Single sign-on (docs/operations.md, "Single sign-on"): nothing configured, passwords only.
    # People a provider vouches for but who have no account: refused, or created without a
    # network (their organisation from the administrators' mapping of the organisation claim)
    SSO_CREATE_ACCOUNTS = False
    # Directory (LDAP / Active Directory), off while LDAP_URL is empty
    LDAP_URL = ""  # ldap://annuaire.example:389 (with LDAP_START_TLS) or ldaps://...:636
    LDAP_START_TLS = True
    LDAP_CA_FILE = ""  # the CA of the directory's certificate; the system's when empty
    LDAP_BIND_DN = ""  # the service account that searches (anonymous when empty)
    LDAP_BIND_PASSWORD = ""
    LDAP_BASE_DN = ""
    LDAP_USER_FILTER = "(&(objectClass=inetOrgPerson)(mail={login}))"
    LDAP_ATTRIBUTES = {"subject": "entryUUID", "email": "mail", "first_name": "givenName",
                       "last_name": "sn", "organisation": ""}
    LDAP_TRUSTED = True  # the directory's e-mail may link an existing account
    LDAP_GROUP_NETWORKS: dict = {}  # group DN -> network slug, applied at each sign-in
    LDAP_GROUP_BASE_DN = ""  # LDAP_BASE_DN when empty
    LDAP_GROUP_FILTER = "(member={dn})"
    LDAP_TIMEOUT = 5
    LDAP_RECHECK_SECONDS = 60  # a directory session checks its entry is still there this often
    # OpenID Connect providers (ProConnect...), a list of dicts; docs/operations.md
    OIDC_PROVIDERS: list = []
    OIDC_TIMEOUT = 10  # seconds for each call to a provider (discovery, token, keys)

    # Languages and time
    LANGUAGES = ("fr", "en")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")

    # Documents: one upload request at most MAX_CONTENT_LENGTH (413 page past it)
    MAX_CONTENT_LENGTH = 50 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 500 * 1024  # non-file form fields kept in memory
    MAX_FORM_PARTS = 1000  # fields and files of one form (413 "trop de parties" past it)
    UPLOAD_MAX_FILES = 20  # files of one upload request (413 "trop de fichiers" past it)
    DOCUMENTS_QUOTA_MB = 2048  # per network, unless the network sets its own
    DOCUMENTS_ZIP_MAX_MB = 500  # documents downloaded together as one zip, at most
    DOCUMENTS_ORPHAN_GRACE_SECONDS = 24 * 3600
    EXTRACTION_TIMEOUT_SECONDS = 60
    EXTRACTION_MEMORY_MB = 768
    EXTRACTION_MAX_CHARS = 5_000_000

    # E-mail: "smtp" sends through MAIL_SERVER; "file" writes .eml files to DATA_DIR/outbox
    MAIL_TRANSPORT = "smtp"
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 25
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_TIMEOUT = 20
    MAIL_DEFAULT_SENDER = "Tilt <ne-pas-repondre@lemansmetropole.fr>"

    # Reply by e-mail (workspace/mailin, docs/operations.md): off while MAILIN_IMAP_HOST is
    # empty. Forum e-mails then carry Reply-To: <local>+<token>@<domain> of MAILIN_ADDRESS.
    MAILIN_IMAP_HOST = ""
    MAILIN_IMAP_PORT = 993
    MAILIN_IMAP_SECURITY = "ssl"  # "ssl" (IMAPS) or "starttls"; never in clear
    MAILIN_IMAP_USERNAME = ""
    MAILIN_IMAP_PASSWORD = ""
    MAILIN_IMAP_CA_FILE = ""  # a CA bundle of its own; empty: the system's
    MAILIN_IMAP_TIMEOUT = 30
    MAILIN_ADDRESS = ""  # the mailbox's address, e.g. tilt@lemansmetropole.fr
    MAILIN_DONE_FOLDER = "traités"
    MAILIN_REFUSED_FOLDER = "refusés"
    MAILIN_BATCH = 50  # messages taken per poll
    MAILIN_MAX_MESSAGE_MB = 25  # larger messages are refused unread (their header is kept)
    MAILIN_POSTS_PER_HOUR = 20  # per member
    MAILIN_NOTICES_PER_DAY = 3  # explanations of refusals sent to one address

    # Open pages ask again for the bell and a topic's new replies (304 when unchanged)
    PAGE_POLL_SECONDS = 30

    # Meetings and workshops
    REMINDER_HOURS_BEFORE = 24  # reminders go to "yes" and confirmed people this long before

    # Jobs
    JOBS_POLL_SECONDS = 0.5  # an idle worker's wait: a new post is searchable within ~1 s
    JOBS_MAX_ATTEMPTS = 6
    JOBS_LOCK_TIMEOUT_SECONDS = 600  # a running job older than this is taken back
    JOBS_WORKER_THREAD = False  # `flask serve` (make run) starts one in the process

    # Search: each host's follower of the change log (workspace/search/follower.py)
    SEARCH_CHANGES_KEPT_DAYS = 7  # a host that has not followed for longer rebuilds
    SEARCH_GAP_WAIT_SECONDS = 900  # a change id still invisible after this was rolled back

    # More feature modules (with `init_app(app)`), e.g. WORKSPACE_EXTRA_FEATURES=pkg.module:
    # a plug-in, or the test-only feature of a `flask worker` started by a test
    EXTRA_FEATURES: list[str] = []

    BOOTSTRAP_SERVE_LOCAL = True
    # Pages (and JSON, Atom) are compressed as they are sent (Flask-Compress); files sent by
    # a view (downloads, byte ranges) are streamed and left alone. Static files are
    # compressed once per process by workspace/core/assets.py.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_BR_LEVEL = 5
    COMPRESS_STREAMS = False
    COMPRESS_MIMETYPES = ["text/html", "application/json", "application/atom+xml",
                          "text/calendar", "text/csv", "text/plain"]
    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    MAIL_TRANSPORT = "file"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast: tests create many users
    WTF_CSRF_ENABLED = False  # tests that check CSRF switch it back on
    MAIL_PORT = 0  # the smtp fixture sets the port of its aiosmtpd server
    PUBLIC_URL = "http://tilt.test"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PUBLIC_URL = ""  # must be set: WORKSPACE_PUBLIC_URL
    RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/0"
    PROXY_FIX_X_FOR = 1


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The configuration class named by WORKSPACE_ENV (development by default)."""
    return CONFIGS[os.environ.get("WORKSPACE_ENV", "development")]
