"""Settings, all from environment variables; the defaults run the embedded SQLite set-up."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envheader(name: str) -> str:
    """An HTTP header named in the environment ("X-Forwarded-For"), as its request.META key
    ("HTTP_X_FORWARDED_FOR"); empty when unset."""
    value = os.environ.get(name, "").strip()
    if not value:
        return ""
    if not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in value):
        raise ImproperlyConfigured(f"{name} must name an HTTP header (e.g. X-Forwarded-For), "
                                   f"got {value!r}")
    return "HTTP_" + value.upper().replace("-", "_")
def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """`X-Forwarded-Proto: https` → ("HTTP_X_FORWARDED_PROTO", "https"), Django's form."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    header, sep, value = raw.partition(":")
    header, value = header.strip(), value.strip()
    if not sep or not header or not value or not all(c.isalnum() or c == "-" for c in header):
        raise ImproperlyConfigured(f"{name} must look like 'X-Forwarded-Proto: https', got {raw!r}")
    return "HTTP_" + header.upper().replace("-", "_"), value


def env_origins(name: str) -> list[str]:
    origins = envlist(name, "")
    for origin in origins:
        if not origin.startswith(("https://", "http://")) or origin.count("/") != 2:
            raise ImproperlyConfigured(
                f"{name}: each origin is scheme://host[:port] (e.g. https://kieumau.example.vn), "
                f"got {origin!r}"
            )
    return origins


DEBUG = envbool("KIEUMAU_DEBUG", "0")
VAR_DIR = Path(os.environ.get("KIEUMAU_VAR_DIR", PROJECT_DIR / "var"))

SECRET_KEY = os.environ.get("KIEUMAU_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("KIEUMAU_SECRET_KEY must be set when KIEUMAU_DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = envlist("KIEUMAU_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
# Behind a TLS-terminating proxy: which header says the request came in over HTTPS, and which
# origins (the public address) may post forms. See README, "Deployment".
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("KIEUMAU_SECURE_PROXY_SSL_HEADER")
CSRF_TRUSTED_ORIGINS = env_origins("KIEUMAU_CSRF_TRUSTED_ORIGINS")
# `kieumau serve` without debug runs gunicorn with this many worker processes.
WEB_WORKERS = envint("KIEUMAU_WEB_WORKERS", str(min(2 * (os.cpu_count() or 1) + 1, 12)))
if not 1 <= WEB_WORKERS <= 256:
    raise ImproperlyConfigured(f"KIEUMAU_WEB_WORKERS must be 1..256, got {WEB_WORKERS}")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "django_htmx",
    "ninja",  # its Swagger page then uses the copy shipped in the PyPI package, not a CDN
    "kieumau.core",
    "kieumau.orgunits",
    "kieumau.accounts",
    "kieumau.criteria",
    "kieumau.indicators",
    "kieumau.assessments",
    "kieumau.programs",
    "kieumau.inspections",
    "kieumau.dashboards",
    "kieumau.citizens",
    "kieumau.reports",
    "kieumau.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kieumau.core.middleware.RefuseBadInput",
    "kieumau.core.middleware.PagesNeedSignIn",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kieumau.core.middleware.VaryOnHtmx",
    "kieumau.core.middleware.OwnErrorPages",
]

ROOT_URLCONF = "kieumau.urls"
WSGI_APPLICATION = "kieumau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("KIEUMAU_DATABASE_URL", f"sqlite:///{VAR_DIR / 'kieumau.sqlite3'}"),
        # Without debug each gunicorn worker keeps its connection (checked before reuse) rather
        # than opening one per request; the development server's threads cannot reuse one.
        conn_max_age=envint("KIEUMAU_DB_CONN_MAX_AGE", "0" if DEBUG else "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, its health check made at most every DB_HEALTH_CHECK_SECONDS per
    # connection instead of on every request (kieumau/core/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "kieumau.core.postgresql"
DB_HEALTH_CHECK_SECONDS = envint("KIEUMAU_DB_HEALTH_CHECK_SECONDS", "5")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The same backend, leaving the planner statistics when a connection closes
    # (kieumau/core/sqlite3/base.py).
    DATABASES["default"]["ENGINE"] = "kieumau.core.sqlite3"
    # WAL lets the page server read while a background import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
SIGN_IN_MAX_FAILURES = envint("KIEUMAU_SIGN_IN_MAX_FAILURES", "5")
SIGN_IN_LOCKOUT_MINUTES = envint("KIEUMAU_SIGN_IN_LOCKOUT_MINUTES", "15")
# Behind a reverse proxy: the header in which it passes the client's address (core.http).
TRUSTED_PROXY_HEADER = envheader("KIEUMAU_TRUSTED_PROXY")
API_TOKEN_DAYS = envint("KIEUMAU_API_TOKEN_DAYS", "30")
# A running job (import, report) silent this long is taken for dead (see kieumau.core.jobs).
JOB_STALE_MINUTES = envint("KIEUMAU_JOB_STALE_MINUTES", "30")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("KIEUMAU_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [
    # src/kieumau is no app (its parts are), so the app finder never sees its static/ folder.
    BASE_DIR / "static",
    ("vendor/htmx", PROJECT_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", PROJECT_DIR / "node_modules" / "chart.js" / "dist"),
]
# Collected at install/build time (`make install` runs collectstatic), hashed and compressed, and
# served by WhiteNoise: production needs neither npm nor node_modules at run time. With debug on,
# WhiteNoise serves straight from the finders instead, so nothing needs collecting.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("KIEUMAU_MEDIA_ROOT", VAR_DIR / "media"))
# Evidence is served only through views that check scope: no MEDIA_URL is mounted.
EVIDENCE_MAX_BYTES = envint("KIEUMAU_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The criteria set a dashboard shows when no assessment of the round says which one is in use.
DASHBOARD_DEFAULT_SET = os.environ.get("KIEUMAU_DASHBOARD_SET", "phuong-kieu-mau")
# Residents' pages (kieumau.citizens): budgets per hour, shared by all processes through the
# database; see citizens/limits.py for why both a per-unit and a generous per-address budget.
SURVEY_UNIT_PER_HOUR = envint("KIEUMAU_SURVEY_UNIT_PER_HOUR", "1000")
SURVEY_ADDRESS_PER_HOUR = envint("KIEUMAU_SURVEY_ADDRESS_PER_HOUR", "60")
SURVEY_MIN_ANSWERS = envint("KIEUMAU_SURVEY_MIN_ANSWERS", "30")  # fewer: figure marked as such
REQUEST_UNIT_PER_HOUR = envint("KIEUMAU_REQUEST_UNIT_PER_HOUR", "200")
REQUEST_ADDRESS_PER_HOUR = envint("KIEUMAU_REQUEST_ADDRESS_PER_HOUR", "10")
CITIZENS_PHOTO_MAX_BYTES = envint("KIEUMAU_CITIZENS_PHOTO_MAX_BYTES", str(8 * 1024 * 1024))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if envbool("KIEUMAU_TASKS_IMMEDIATE", "1" if DEBUG else "0"):
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("KIEUMAU_SESSION_SECONDS", str(8 * 3600))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("KIEUMAU_SECURE_COOKIES", "1")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = envbool("KIEUMAU_SSL_REDIRECT", "1")
    SECURE_HSTS_SECONDS = envint("KIEUMAU_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("KIEUMAU_HSTS_PRELOAD", "0")
    # The proxy's and the monitor's health checks may come over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KIEUMAU_LOG_LEVEL", "WARNING")},
}
