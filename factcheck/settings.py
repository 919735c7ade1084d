"""Settings for Factcheck, read from the environment.

With nothing set the app runs as a self-contained demo: DEBUG on, SQLite in the project folder,
Celery tasks run inline. `DATABASE_URL` switches to PostgreSQL and `CELERY_BROKER_URL` to a real
broker with separate workers; that is how it is deployed and how CI tests it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from factcheck.env import env_bool, env_float, env_int, env_list, env_rate, env_str
from factcheck.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
# Earlier keys, still accepted for sessions and signed values while they run out (rotation: see
# the README's "Operating").
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Public base URL, used in feeds, sitemaps and ClaimReview when no request is at hand.
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")  # blank: the default
# In development with no SITE_URL set, pages build their canonical and ClaimReview addresses from
# the request instead (claims.site_url), so `make run PORT=8080` links to itself. Jobs and
# e-mails, which have no request, use SITE_URL's default.
SITE_URL_SET = bool(env_str("SITE_URL"))
SITE_NAME = env_str("SITE_NAME", "Factcheck")
# The newsroom's own introduction on the home page (plain text; blank lines start paragraphs).
SITE_INTRO = env_str(
    "SITE_INTRO",
    "We check what public figures, officials and news reports claim, show the evidence we "
    "found, and rate each claim on a published scale. When we get something wrong, we correct "
    "it and say so.",
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "template_partials",
    "ninja",
    "axes",
    "claims",
]

MIDDLEWARE = [
    # Liveness (and metrics with their token) answer before the host check and the https
    # redirect (see factcheck/health.py).
    "factcheck.health.ProbeMiddleware",
    # Outermost after that, so that the request id and the time cover everything below.
    "factcheck.logs.RequestLogMiddleware",
    "factcheck.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Anonymous reads of public pages from the cache, with the headers stored from the
    # middleware below: right after the https redirect and security headers
    # (claims/public_cache.py).
    "claims.public_cache.PublicPageMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

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
                "claims.context_processors.site",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)
            )
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database address: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            # Inline tasks write while a request reads; wait instead of failing with "locked".
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache: public pages (claims/public_cache.py) and rate limits. Redis when CACHE_URL
# names it (every server process then shares it); otherwise each process keeps its own in
# memory, which is right for one process and still correct for several (the public pages' cache
# keys carry a version read from the database), only colder.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "factcheck",
        }
    }
elif CACHE_URL in ("", "locmem://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "factcheck",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must be a redis:// address or locmem://, not {CACHE_URL!r}"
    )
# Seconds a public page stays in the server-side cache. Publishing, correcting or changing
# anything a public page shows starts a new version at once; this only bounds the memory
# taken by versions nobody asks for any more.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 600)
# Seconds a rendered review-queue page stays in the cache (claims/review_cache.py). Any change
# to what the queue shows starts a new version at once; this only bounds the memory. 0: off.
REVIEW_CACHE_SECONDS = env_int("REVIEW_CACHE_SECONDS", 300)
# Whether every server process shares the cache: the public site's version is then kept in it
# (no database query for a cached page); otherwise it is read from the database each time.
PUBLIC_CACHE_SHARED = CACHES["default"]["BACKEND"].endswith("RedisCache")
# With a shared cache, how long a server process serves the pages it holds without asking the
# cache whether the site changed; each change waits this long before it commits (see
# claims/public_cache.py).
PUBLIC_CACHE_LEASE_SECONDS = env_float("PUBLIC_CACHE_LEASE_SECONDS", 0.25)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_REDIRECT_URL = "review:queue"
LOGOUT_REDIRECT_URL = "public:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security: strict by default once DEBUG is off; the proxy settings are for TLS terminated
# in front of gunicorn.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Sign-in throttling (django-axes; see factcheck/login_throttle.py): after LOGIN_FAILURE_LIMIT
# failures for one account or from one address within LOGIN_LOCKOUT_MINUTES, sign-ins for it
# get 429 until that time has passed.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one alone locks
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the pause ends when the window passes
AXES_LOCKOUT_CALLABLE = "factcheck.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "factcheck.login_throttle.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # failures are kept (to count them), successful sign-ins are not
AXES_VERBOSE = False
# Not in the admin: its permission tests fix which models it shows. Pauses are lifted with
# `manage.py axes_reset` (or axes_reset_username / axes_reset_ip).
AXES_ENABLE_ADMIN = False
# Proxies in front of the app that append the client's address to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Content-Security-Policy on every response (django-csp): scripts, styles, images and requests
# come from this site only, with nothing inline: no inline script or event handler, no style
# attribute (rating colours come from /ratings.css). htmx is configured for it in base.html's
# `htmx-config` (no eval, no injected indicator style). `data:` images are for the API docs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if CSP_REPORT_URI := env_str("CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [CSP_REPORT_URI]

# Celery: with no broker the tasks run inline, which is only meant for the demo and tests.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Load the extraction model in the worker's main process so that its children share it.
WORKER_PRELOAD_MODEL = env_bool("WORKER_PRELOAD_MODEL", default=True)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With acks_late a task whose worker died is delivered again once the visibility timeout ends;
# keep it short enough that a killed job is picked up again within minutes, and longer than the
# longest job. kombu only looks for such jobs every unacked_restore_interval ×
# unacked_restore_throttle seconds, 10 × 10 by default: a killed worker's job then came back
# about 100 s late whatever the timeout. Look every tenth of the timeout (1 to 60 s) instead;
# measured by tests/test_worker_kill.py.
_visibility_timeout = env_int("CELERY_VISIBILITY_TIMEOUT", 600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _visibility_timeout,
    "unacked_restore_interval": min(60, max(1, _visibility_timeout // 10)),
    "unacked_restore_throttle": 1,
}
CELERY_TIMEZONE = TIME_ZONE
# The broker queue jobs go to and workers take from: two deployments can share one Redis.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")

# E-mail (notifications): SMTP when EMAIL_HOST is set; otherwise e-mails are written to the
# console, which is what the demo wants. The send_notification_email job sends them.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=bool(EMAIL_HOST) and not EMAIL_USE_SSL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set only one of EMAIL_USE_TLS and EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# How often an open staff page asks whether there are new notifications.
NOTIFICATION_POLL_SECONDS = env_int("NOTIFICATION_POLL_SECONDS", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Factcheck <factcheck@localhost>")

# Outbound fetching and ingestion limits.
FETCH_ALLOW_PRIVATE_ADDRESSES = env_bool("FETCH_ALLOW_PRIVATE_ADDRESSES", default=False)
FETCH_CONNECT_TIMEOUT = env_int("FETCH_CONNECT_TIMEOUT", 5)
FETCH_READ_TIMEOUT = env_int("FETCH_READ_TIMEOUT", 15)
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 5 * 1024 * 1024)
FETCH_MAX_REDIRECTS = env_int("FETCH_MAX_REDIRECTS", 5)
FETCH_USER_AGENT = env_str(
    "FETCH_USER_AGENT", "FactcheckBot/0.1 (+https://github.com/factcheck; newsroom fact-checking)"
)
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 2 * 1024 * 1024)
ARTICLE_MAX_CHARS = env_int("ARTICLE_MAX_CHARS", 200_000)
# Fewer words than this is no article ("Hello."); one attributed sentence or two is enough.
ARTICLE_MIN_WORDS = env_int("ARTICLE_MIN_WORDS", 10)
# ClaimReview feeds are large (a whole fact-checker's catalogue): their own cap.
CLAIMREVIEW_IMPORT_MAX_BYTES = env_int("CLAIMREVIEW_IMPORT_MAX_BYTES", 100 * 1024 * 1024)
# Blend sentence-embedding similarity into claim matching when the extra is installed
# (`make semantic`); off, or without the extra, ranking is by keywords alone.
SEMANTIC_RANKING = env_bool("SEMANTIC_RANKING", default=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(UPLOAD_MAX_BYTES + 512 * 1024, 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 512 * 1024

# Corroboration: the evidence search that runs when a claim is accepted (claims/corroboration/).
CORROBORATION_ARCHIVE = env_bool("CORROBORATION_ARCHIVE", default=True)
CORROBORATION_RESULTS_PER_PROVIDER = env_int("CORROBORATION_RESULTS_PER_PROVIDER", 10)
CORROBORATION_MAX_CANDIDATES = env_int("CORROBORATION_MAX_CANDIDATES", 10)
CORROBORATION_MIN_SCORE = env_float("CORROBORATION_MIN_SCORE", 0.4)
CORROBORATION_REFETCH_HOURS = env_int("CORROBORATION_REFETCH_HOURS", 24)
CORROBORATION_FETCH_THREADS = env_int("CORROBORATION_FETCH_THREADS", 4)
CORROBORATION_TIME_LIMIT = env_int("CORROBORATION_TIME_LIMIT", 300)
# Web search providers: each is off until configured.
SEARXNG_URL = env_str("SEARXNG_URL").rstrip("/")
SEARXNG_CATEGORIES = env_str("SEARXNG_CATEGORIES", "news,general")
SEARXNG_LANGUAGE = env_str("SEARXNG_LANGUAGE", "en")
SEARXNG_TIMEOUT = env_int("SEARXNG_TIMEOUT", 10)
SEARXNG_RATE_LIMIT = env_rate("SEARXNG_RATE_LIMIT", "30/minute")
SEARCH_JSON_URL = env_str("SEARCH_JSON_URL")
if SEARCH_JSON_URL and "{query}" not in SEARCH_JSON_URL:
    raise ImproperlyConfigured("SEARCH_JSON_URL must contain {query} where the search words go")
SEARCH_JSON_RESULTS_PATH = env_str("SEARCH_JSON_RESULTS_PATH", "results")
SEARCH_JSON_URL_FIELD = env_str("SEARCH_JSON_URL_FIELD", "url")
SEARCH_JSON_TITLE_FIELD = env_str("SEARCH_JSON_TITLE_FIELD", "title")
SEARCH_JSON_DATE_FIELD = env_str("SEARCH_JSON_DATE_FIELD", "date")
SEARCH_JSON_SNIPPET_FIELD = env_str("SEARCH_JSON_SNIPPET_FIELD", "snippet")
SEARCH_JSON_HEADER = env_str("SEARCH_JSON_HEADER")
SEARCH_JSON_TIMEOUT = env_int("SEARCH_JSON_TIMEOUT", 10)
SEARCH_JSON_RATE_LIMIT = env_rate("SEARCH_JSON_RATE_LIMIT", "30/minute")
FACTCHECK_TOOLS_API_KEY = env_str("FACTCHECK_TOOLS_API_KEY")
FACTCHECK_TOOLS_URL = env_str(
    "FACTCHECK_TOOLS_URL", "https://factchecktools.googleapis.com/v1alpha1/claims:search"
)
FACTCHECK_TOOLS_LANGUAGE = env_str("FACTCHECK_TOOLS_LANGUAGE", "en")
FACTCHECK_TOOLS_TIMEOUT = env_int("FACTCHECK_TOOLS_TIMEOUT", 10)
FACTCHECK_TOOLS_RATE_LIMIT = env_rate("FACTCHECK_TOOLS_RATE_LIMIT", "60/minute")
# Where the providers' rate limits are counted: memory:// counts per process; a redis:// URL
# shares one budget between every worker.
RATE_LIMIT_STORAGE_URL = env_str("RATE_LIMIT_STORAGE_URL", "memory://")
# Requests a caller without an API token or session may make to the API per address (429
# beyond it), counted in RATE_LIMIT_STORAGE_URL. Empty: no limit.
API_ANON_RATE_LIMIT = env_rate("API_ANON_RATE_LIMIT", "120/minute")
# Source feeds and link health, run by Celery beat.
FEED_POLL_MINUTES = env_int("FEED_POLL_MINUTES", 30)
FEED_MAX_ITEMS = env_int("FEED_MAX_ITEMS", 50)
LINK_CHECK_DAYS = env_int("LINK_CHECK_DAYS", 7)
LINK_CHECK_BATCH = env_int("LINK_CHECK_BATCH", 200)
# How often beat sends the heartbeat job whose run records the worker heartbeat.
HEALTH_HEARTBEAT_SECONDS = env_int("HEALTH_HEARTBEAT_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    # Jobs whose row was saved while the broker was down are sent again once it is back.
    "requeue-unsent-jobs": {"task": "claims.requeue_unsent_jobs", "schedule": 60},
    "poll-source-feeds": {"task": "claims.poll_due_feeds", "schedule": 5 * 60},
    "check-evidence-links": {"task": "claims.check_evidence_links", "schedule": 60 * 60},
    # The worker heartbeat for /healthz/ready; one that no worker ran before the next is dropped.
    "worker-heartbeat": {
        "task": "claims.heartbeat",
        "schedule": HEALTH_HEARTBEAT_SECONDS,
        "options": {"expires": HEALTH_HEARTBEAT_SECONDS},
    },
}

# Readiness (/healthz/ready): how old the heartbeats may be, and how late a feed poll may run
# past its interval, before the deployment counts as not ready.
HEALTH_BEAT_MAX_AGE = env_int("HEALTH_BEAT_MAX_AGE", 180)
HEALTH_WORKER_MAX_AGE = env_int("HEALTH_WORKER_MAX_AGE", 300)
HEALTH_FEED_LAG_MINUTES = env_int("HEALTH_FEED_LAG_MINUTES", 30)

# Logs: one JSON object per line in production, plain text in development (factcheck/logs.py);
# Celery's worker and beat log through the same configuration instead of their own.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json").lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = logging_config(json_lines=LOG_FORMAT == "json", level=env_str("LOG_LEVEL", "INFO"))
# Python's warnings (a library's deprecation, Celery's) become log lines too, not bare text.
logging.captureWarnings(True)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# /metrics (Prometheus): staff users, or a scraper sending `Authorization: Bearer <token>`.
METRICS_TOKEN = env_str("METRICS_TOKEN")
if not CELERY_BROKER_URL:
    # Inline tasks still build a broker connection object, and kombu warns that it has no host.
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}
