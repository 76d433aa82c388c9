"""One settings module, driven by the environment.

``MADOGUCHI_ENV`` says how the process runs (docs/operations.md, ADR 0018):

- ``production``: refuses to start without ``MADOGUCHI_SECRET_KEY`` and ``MADOGUCHI_FIELD_KEYS``; HTTPS only
  behind the reverse proxy (HSTS, secure cookies, SSL redirect); ``manage.py check --deploy`` is clean.
- ``development``: the only mode with ``DEBUG`` on.  Set by nobody but a developer who asks for it.
- anything else or unset (the demo, the tests, a local try): ``DEBUG`` off; the secrets are generated once
  into var/secrets/ (nothing usable is in the repository).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from madoguchi.core.secrets import django_secret_key, fernet_key, local_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MADOGUCHI_VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("MADOGUCHI_ENV", "local")
PRODUCTION = ENV == "production"
DEVELOPMENT = ENV == "development"


def get_mandatory_secret(name: str, generate: Callable[[], str]) -> str:
    """The secret from the environment; in production its absence stops the start; elsewhere one is
    generated once into var/secrets/ (ADR 0018)."""
    value = os.environ.get(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set for a production start (MADOGUCHI_ENV=production).")
    return local_secret(VAR_DIR / "secrets", name.lower(), generate)


SECRET_KEY = get_mandatory_secret("MADOGUCHI_SECRET_KEY", django_secret_key)
# Comma-separated Fernet keys, newest first.  Used for field encryption at rest.
FIELD_KEYS = get_mandatory_secret("MADOGUCHI_FIELD_KEYS", fernet_key).split(",")

# DEBUG shows code and data on an error page: only when a developer explicitly asks for it.
DEBUG = DEVELOPMENT
ALLOWED_HOSTS = os.environ.get("MADOGUCHI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # Swagger UI from the package's own static files at /api/docs (no CDN; ADR 0013)
    "madoguchi.core",
    "madoguchi.accounts",
    "madoguchi.audit",
    "madoguchi.residents",
    "madoguchi.register",
    "madoguchi.casework",
    "madoguchi.payments",
    "madoguchi.handover",
    "madoguchi.programs",
    "madoguchi.web",
    "madoguchi.api",
    "csp",
]

MIDDLEWARE = [
    "madoguchi.web.security.ProxyAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "madoguchi.web.security.RequestLogMiddleware",
    "madoguchi.web.security.NoStoreMiddleware",
    "madoguchi.accounts.middleware.AccessContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "madoguchi.web.terminal_binding.TerminalBindingMiddleware",
    "madoguchi.web.middleware.AccessRefusedMiddleware",
    "madoguchi.web.middleware.UploadTooLargeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "madoguchi.urls"
WSGI_APPLICATION = "madoguchi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "madoguchi.web.context.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'madoguchi.sqlite3'}"),
        conn_max_age=int(os.environ.get("MADOGUCHI_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "madoguchi.core.db.postgresql"  # flush past the log's TRUNCATE guard
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "madoguchi.core.db.sqlite3"
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        # WAL lets the web server and the task worker read while the other writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions expire after 30 minutes of inactivity and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("MADOGUCHI_SESSION_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Account lock-out after repeated failures.
LOGIN_MAX_FAILURES = int(os.environ.get("MADOGUCHI_LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCK_MINUTES = int(os.environ.get("MADOGUCHI_LOGIN_LOCK_MINUTES", "15"))
# ADR 0020: failures from one source (any names), and for one account (all sources), within the lock minutes.
LOGIN_SOURCE_MAX_FAILURES = int(os.environ.get("MADOGUCHI_LOGIN_SOURCE_MAX_FAILURES", "20"))
LOGIN_ACCOUNT_MAX_FAILURES = int(os.environ.get("MADOGUCHI_LOGIN_ACCOUNT_MAX_FAILURES", "20"))

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "madoguchi" / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# whitenoise serves the collected static files (compressed, with hashed names) from the WSGI server.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if PRODUCTION else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not PRODUCTION  # the demo and tests serve straight from the apps' static folders
MEDIA_ROOT = Path(os.environ.get("MADOGUCHI_MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("MADOGUCHI_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
# Uploads beyond IMPORT_MAX_BYTES are refused before they are written (madoguchi.core.uploads).
FILE_UPLOAD_HANDLERS = [
    "madoguchi.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Background jobs (ADR 0012): heartbeat interval, silence after which a worker on another host counts as
# dead, and how often the worker runs the sweeper (seconds).
JOB_HEARTBEAT_SECONDS = int(os.environ.get("MADOGUCHI_JOB_HEARTBEAT_SECONDS", "5"))
JOB_STALE_SECONDS = int(os.environ.get("MADOGUCHI_JOB_STALE_SECONDS", "120"))
JOB_SWEEP_SECONDS = int(os.environ.get("MADOGUCHI_JOB_SWEEP_SECONDS", "60"))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("MADOGUCHI_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# API tokens (ADR 0013): the longest validity in days, and the roles whose users may issue their own.
MADOGUCHI_API_TOKEN_MAX_DAYS = int(os.environ.get("MADOGUCHI_API_TOKEN_MAX_DAYS", "90"))
MADOGUCHI_API_TOKEN_SELF_ROLES = [
    r.strip() for r in os.environ.get("MADOGUCHI_API_TOKEN_SELF_ROLES", "department_staff").split(",") if r.strip()]
# Access-log chain (ADR 0019): HMAC keys "id:base64key,…" newest first, or a file of such lines; production
# refuses to start without one (madoguchi/audit/keys.py; development generates var/audit-chain.keys).
AUDIT_CHAIN_KEYS = os.environ.get("MADOGUCHI_AUDIT_KEYS", "")
AUDIT_CHAIN_KEY_FILE = os.environ.get("MADOGUCHI_AUDIT_KEY_FILE", "")
if PRODUCTION and not (AUDIT_CHAIN_KEYS or AUDIT_CHAIN_KEY_FILE):
    raise ImproperlyConfigured("MADOGUCHI_AUDIT_KEYS or MADOGUCHI_AUDIT_KEY_FILE must be set for a production start.")
# Backups (madoguchi backup/restore): AES-256-GCM keys "id:base64key,…" newest first (madoguchi/core/backup.py).
BACKUP_KEYS = os.environ.get("MADOGUCHI_BACKUP_KEYS", "")
# Chains appended in parallel (ADR 0019); a writer takes the first free one.  PostgreSQL only (SQLite: 1).
AUDIT_CHAINS = int(os.environ.get("MADOGUCHI_AUDIT_CHAINS", "8"))

# Office hours used by the access-log analysis (local time, weekdays, office business days).
OFFICE_HOURS = (8, 20)
# A single action touching more residents than this is reported as a bulk access.
AUDIT_BULK_THRESHOLD = int(os.environ.get("MADOGUCHI_AUDIT_BULK_THRESHOLD", "100"))

# The ward this installation serves (demo: a Tokyo ward).
MUNICIPALITY_NAME = os.environ.get("MADOGUCHI_MUNICIPALITY", "新宿区")
MUNICIPALITY_HEAD = os.environ.get("MADOGUCHI_MUNICIPALITY_HEAD", "新宿区長")
# The council that registrations go before, unless a revision names another (e.g. a report to the
# 情報公開・個人情報保護審議会 under the ordinance).
MUNICIPALITY_COUNCIL_NAME = os.environ.get("MADOGUCHI_COUNCIL_NAME", "個人情報保護管理運営会議")
# 開示請求等を受理する組織の名称及び所在地 (個人情報ファイル簿, 個人情報保護法第74条第1項第8号)
MUNICIPALITY_DISCLOSURE_OFFICE = os.environ.get("MADOGUCHI_DISCLOSURE_OFFICE", "総務部区政情報課")
MUNICIPALITY_DISCLOSURE_ADDRESS = os.environ.get("MADOGUCHI_DISCLOSURE_ADDRESS", "東京都新宿区歌舞伎町一丁目4番1号")

# --- Security (docs/operations.md「本番の起動」, ADR 0018) ---------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# TLS ends at the reverse proxy (docs/nginx.conf), which sets X-Forwarded-Proto; trust it only there.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
# Addresses of the reverse proxy, whose X-Real-IP gives the terminal's address (madoguchi.web.security).
TRUSTED_PROXIES = [a for a in os.environ.get("MADOGUCHI_TRUSTED_PROXIES",
                                             "127.0.0.1,::1" if PRODUCTION else "").split(",") if a]
SECURE_SSL_REDIRECT = PRODUCTION and os.environ.get("MADOGUCHI_SSL_REDIRECT", "1") == "1"  # 0: local try only
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the monitor asks the server directly on loopback
SECURE_HSTS_SECONDS = int(os.environ.get("MADOGUCHI_HSTS_SECONDS", "31536000")) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("MADOGUCHI_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("MADOGUCHI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# The ward's host is on a closed network and is never put on the browsers' public HSTS preload list.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Content-Security-Policy (django-csp): scripts and styles from our own static files only; no inline script,
# no eval (htmx runs with allowEval off).  Inline style attributes are allowed (they cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Logs: one JSON object per line on stderr, never residents' data (madoguchi.core.logs).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "madoguchi.core.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MADOGUCHI_LOG_LEVEL", "WARNING")},
    "loggers": {
        "madoguchi.request": {"level": os.environ.get("MADOGUCHI_REQUEST_LOG_LEVEL", "INFO" if PRODUCTION
                                                      else "WARNING"), "propagate": True},
    },
}

# Declared widths of fixed-width identifiers in imports (madoguchi.core.idformat), e.g. "住民番号=6,世帯番号=9"
MADOGUCHI_ID_WIDTHS = {name.strip(): int(width) for name, _, width in
                       (part.partition("=") for part in os.environ.get("MADOGUCHI_ID_WIDTHS", "").split(","))
                       if name.strip()}
