"""Settings for Revox Admin, read from the environment (and `.env`) through django-environ.

Every name is listed in `.env.example`. Defaults are safe for production: DEBUG is off, a
SECRET_KEY must be given when it is, and no host is allowed unless configured.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only")
else:
    SECRET_KEY = env("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random string of at least 50 characters when DEBUG is "
            "off. Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "assistants",
    "assistants.editors",
    "assistants.faq_review",
    "assistants.history",
    "assistants.team",
    "assistants.calls",
    "assistants.changes",
    "assistants.jobs",
]

MIDDLEWARE = [
    # First, so that its "Dashboard" time holds every other middleware's.
    "assistants.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication, so that its 404 page is the signed-in one.
    "assistants.middleware.NulInAddressMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "assistants.middleware.HtmxLoginRedirectMiddleware",
    "assistants.middleware.RevoxErrorMiddleware",
    # Last, so that a lockout answer is produced after authentication ran.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "revox_admin.urls"
WSGI_APPLICATION = "revox_admin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Each field group's templates sit in its folder (assistants/editors/groups/<group>/).
        "DIRS": [BASE_DIR / "templates", BASE_DIR / "assistants" / "editors" / "groups"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "assistants.context_processors.dashboard",
                "assistants.jobs.context_processors.jobs",
            ],
        },
    },
]

# Django's, with the commonest widgets rendered in Python (an editor re-renders its form on
# every save).
FORM_RENDERER = "revox_admin.form_renderer.FormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the list page read while a sync writes; a busy timeout instead of "database is
    # locked" when two writers meet. A page cache of 32 MB per connection, not SQLite's 2 MB:
    # an assistant's row fills a 4 KB page or more (prompt, FAQ, JSON), so a search matching
    # 4,167 of 50,000 reads as many pages to order them by name, and with 2 MB each search read
    # them all again from the OS (8.6 ms of its 11; 2.9 ms with them cached; bench/, issue 25).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # Kept between requests as on PostgreSQL: a connection per request paid, on every page,
    # the opening (the PRAGMAs above) and on closing a checkpoint of the WAL, whose fsync
    # the next request's writes waited for (a group save: ~5 ms; bench/, issue 25).
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Each worker keeps its connection for a minute (DATABASE_URL's ?conn_max_age=N changes it):
    # opening one per request starts a server process each time, which cost the list page more
    # than its own queries (bench/, issue 13). Checked before reuse, so a restarted server is
    # only a reconnect.
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "assistants:list"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: 5 failures for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# And across user names: this many failures from one network address within the cool-off pause
# signing in from it (assistants/team/services.py).
LOGIN_FAILURES_PER_NETWORK_ADDRESS = env.int("LOGIN_FAILURES_PER_NETWORK_ADDRESS", default=10)
# Password-reset e-mails: one per account address per this many seconds, and this many an hour
# from one network address (counted in Django's cache: set CACHE_URL with several workers).
PASSWORD_RESET_EMAIL_INTERVAL = env.int("PASSWORD_RESET_EMAIL_INTERVAL", default=300)
PASSWORD_RESETS_PER_NETWORK_ADDRESS = env.int("PASSWORD_RESETS_PER_NETWORK_ADDRESS", default=5)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # Each field group's script and stylesheet, from its folder.
    "assistants.editors.groups.assets.GroupAssetFinder",
]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Serve straight from the finders so `make run` and the tests need no collectstatic step.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
if WHITENOISE_USE_FINDERS:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Revox Admin <no-reply@localhost>")

# Security headers. The HTTPS-only ones follow SECURE_SSL_REDIRECT so that `make run` on
# plain http://127.0.0.1 still works; production sets it (see README, "Deploy").
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_HTTPS_PROXY", default=False) else None
)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_SSL_REDIRECT else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preload is a promise to stay HTTPS-only; production (SECURE_SSL_REDIRECT) makes it by default.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=SECURE_SSL_REDIRECT)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Revox.
# Left empty in .env means "not set": the local sandbox and its key.
REVOX_API_URL = env("REVOX_API_URL", default="") or "http://127.0.0.1:4010/api"
REVOX_API_KEY = env("REVOX_API_KEY", default="") or "sandbox-key"
REVOX_CONNECT_TIMEOUT = env.float("REVOX_CONNECT_TIMEOUT", default=3.0)
REVOX_READ_TIMEOUT = env.float("REVOX_READ_TIMEOUT", default=15.0)
REVOX_MAX_RETRIES = env.int("REVOX_MAX_RETRIES", default=2)
REVOX_BACKOFF_BASE = env.float("REVOX_BACKOFF_BASE", default=0.5)
REVOX_BACKOFF_MAX = env.float("REVOX_BACKOFF_MAX", default=8.0)
REVOX_RETRY_AFTER_MAX = env.float("REVOX_RETRY_AFTER_MAX", default=30.0)
# The largest call recording the dashboard relays to the browser, in bytes.
REVOX_RECORDING_MAX_BYTES = env.int("REVOX_RECORDING_MAX_BYTES", default=50 * 1024 * 1024)
# Test calls one person may place in an hour (each rings a real phone and costs money).
TEST_CALLS_PER_HOUR = env.int("TEST_CALLS_PER_HOUR", default=10)
# The cache is considered fresh for this many seconds; older, pages refresh it in the background.
REVOX_CACHE_MAX_AGE = env.int("REVOX_CACHE_MAX_AGE", default=60)
# The Refresh buttons run at most one full sync per this many seconds, across every worker.
REVOX_REFRESH_MIN_INTERVAL = env.int("REVOX_REFRESH_MIN_INTERVAL", default=5)
# How many assistants a bulk FAQ action saves at once.
REVOX_BULK_CONCURRENCY = env.int("REVOX_BULK_CONCURRENCY", default=10)
# The background job runner (assistants/jobs/): its queue is a table of this database, read by
# `python manage.py jobs_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job's worker says it is alive this often; a job not heard of for JOBS_STALE_AFTER
# seconds is taken over by another worker (its finished items are kept, the rest run again).
JOBS_HEARTBEAT_SECONDS = env.float("JOBS_HEARTBEAT_SECONDS", default=5.0)
JOBS_STALE_AFTER = env.float("JOBS_STALE_AFTER", default=60.0)
# How often each worker looks for jobs to take over and for the periodic refresh being due.
JOBS_TICK_SECONDS = env.float("JOBS_TICK_SECONDS", default=5.0)
# A job whose worker stopped under it this many times is given up (and says so).
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=5)
# The largest CSV the FAQ review accepts for import, in bytes.
FAQ_CSV_MAX_BYTES = env.int("FAQ_CSV_MAX_BYTES", default=2 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "assistants": {"level": env("LOG_LEVEL", default="INFO")},
        "django.request": {"level": "ERROR"},
    },
}
AXES_LOCKOUT_CALLABLE = "assistants.team.views.locked_out"
