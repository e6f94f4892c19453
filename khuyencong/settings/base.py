"""Settings for the khuyến công portal.

One file, driven by environment variables: the test suite, `make run` and the
production stack all load this module, so what is tested is what runs.
See README.md for the table of variables.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is optional; the real environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
else:
    # No default: a production instance must never run on a known key.
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)
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
    "django_filters",
    "simple_history",
    "khuyencong.apps.LoginAttemptsConfig",
    "khuyencong",
    "enterprises",
    "projects",
    "appraisal",
    "reports",
    "dashboard",
    "notifications",
    "applicants",
    "followups",
    "public",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "devdata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "khuyencong.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The public page's finished bytes for visitors without a session, before
    # the session, CSRF, user and messages middleware.
    "khuyencong.middleware.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khuyencong.middleware.PortalLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "khuyencong.middleware.NormaliseFormTextMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "khuyencong.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "khuyencong.urls"
WSGI_APPLICATION = "khuyencong.wsgi.application"

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
                "khuyencong.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite file by default (the embedded `make run`), PostgreSQL in
# production and CI through DATABASE_URL.
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A restarted database must not leave the next request on a dead connection.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, checked without a SELECT 1 per request (khuyencong.db).
    DATABASES["default"]["ENGINE"] = "khuyencong.db"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    # Wait for a writer instead of failing at once with "database is locked".
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: 5 failures for one username from one address lock that
# pair out for 15 minutes. The address is the real client behind our proxies.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "khuyencong.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Locale. Django's own `vi` format module has no grouping and no date input
# formats; ours (khuyencong/formats/vi) closes both traps.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Vietnamese for Django REST framework's own messages (the API), kept by hand.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "api" / "rest_framework_vi" / "locale"]
FORMAT_MODULE_PATH = ["khuyencong.formats"]
# Vietnamese whatever the browser says (khuyencong.middleware); a language
# chosen in the user menu is kept for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Uploaded files are private: there is no MEDIA_URL route; files are served
# only through permission-checked views.
MEDIA_URL = "/media/"
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
# Under DEBUG (make run) whitenoise serves straight from static/, no collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Largest spreadsheet accepted by the establishment import, in bytes.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
# Hard caps on the first sheet of an import, checked against the size the file
# declares and again while reading: a few bytes can name row 100,000,000 or
# column XFD, and a reader that fills the gaps would hold gigabytes.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=60)

# E-mail
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Cổng Khuyến công <khuyencong@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Name of the centre, printed on pages and report headers.
ORGANISATION_NAME = env(
    "ORGANISATION_NAME",
    default="Trung tâm Khuyến công và Tiết kiệm năng lượng Thanh Hóa",
)
ORGANISATION_PARENT = env("ORGANISATION_PARENT", default="SỞ CÔNG THƯƠNG THANH HÓA")
ORGANISATION_PLACE = env("ORGANISATION_PLACE", default="Thanh Hóa")
# Address of the portal, for links in e-mails sent by workers (no request there).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The province whose communes the forms offer first.
HOME_PROVINCE_CODE = env.int("HOME_PROVINCE_CODE", default=38)

# Celery: without a broker, jobs run in-process (the embedded default), through
# the very same task functions.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
# A task is acknowledged only once it has run, so a killed worker's task is
# delivered again.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Above the longest report (the task time limit), or a running report would be
# delivered a second time; the worker-death test lowers it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_TASK_IGNORE_RESULT = True
# A worker producing a report writes the job's heartbeat this often; a running
# job without one for KC_REPORT_STALE_SECONDS lost its worker (killed, machine
# gone) and the requeue beat task (every minute) sends it again.
KC_REPORT_HEARTBEAT_SECONDS = env.int("KC_REPORT_HEARTBEAT_SECONDS", default=30)
KC_REPORT_STALE_SECONDS = env.int("KC_REPORT_STALE_SECONDS", default=180)
# Report jobs go to their own queue (`make worker` consumes celery,reports) so
# a long PDF never delays the short tasks; without a broker there are no queues.
CELERY_TASK_ROUTES = (
    {"reports.generate": {"queue": "reports"}} if CELERY_BROKER_URL else {}
)
# The cache: Redis, shared by every web worker (a dashboard computed by one
# serves all of them), when the stack runs one — CACHE_URL, or the broker's
# Redis server on database 1 (the broker keeps database 0); otherwise each
# process's memory (the embedded `make run`).
CACHE_URL = env("CACHE_URL", default="")
if not CACHE_URL and CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    _broker = urlsplit(CELERY_BROKER_URL)
    CACHE_URL = urlunsplit(_broker._replace(path="/1"))
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "kc",
            # A cache outage must not hang a page: the dashboard computes
            # its board live when the cache cannot answer.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

CELERY_BEAT_SCHEDULE: dict = {
    # Hourly and idempotent: one job per schedule and period, whenever it runs.
    "reports-schedules": {"task": "reports.run_schedules", "schedule": 3600.0},
    # /healthz shows when a worker last ran this.
    "worker-heartbeat": {"task": "reports.heartbeat", "schedule": 60.0},
    # Jobs are rows: those whose message a restarted broker lost are sent again.
    # Every minute: a job asked for while the broker was down goes out as soon
    # as it answers again.
    "reports-requeue-stale": {"task": "reports.requeue_stale", "schedule": 60.0},
    # The same for establishment imports (enterprises.importing.jobs).
    "imports-requeue-stale": {
        "task": "enterprises.requeue_stale_imports",
        "schedule": 60.0,
    },
}

# Security: sensible for production, relaxed automatically under DEBUG.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("USE_X_FORWARDED_PROTO", default=not DEBUG):
    # Behind the reverse proxy that terminates TLS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz answers the load balancer over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO; its warnings still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Dashboard warnings and reminders (dashboard/warnings.py, notifications/digest.py).
# Disbursement checkpoints: after month M of a plan's year, a running project
# should have been paid at least P % of its approved support.
KC_DISBURSEMENT_CHECKPOINTS = [(6, 10), (9, 30)]
# A plan is at risk once approvals reach this share of its allocation.
KC_BUDGET_RISK_PERCENT = 90
# Staff are reminded of running projects ending within this many days.
KC_REMINDER_DAYS_BEFORE_END = 30
# ... and of planned inspections within this many days (or already late).
KC_REMINDER_DAYS_BEFORE_INSPECTION = 7
# Communes without support in the last N years (default of the coverage page).
KC_COVERAGE_DEFAULT_YEARS = 3
# The manager dashboard keeps its computed figures per (year, source,
# language) until a write to the data they read retires them; this many
# seconds is only the backstop for writes made around the models. The page
# shows when they were computed and offers "Làm mới". 0 computes every request.
KC_DASHBOARD_CACHE_SECONDS = env.int("KC_DASHBOARD_CACHE_SECONDS", default=24 * 3600)
# The project list's count and totals of the filtered projects, and its
# page as drawn, are kept in the cache under the same data version (retired
# by any write to projects or their funding); this many seconds is only the
# backstop. 0 counts and draws every time.
KC_LIST_CACHE_SECONDS = env.int("KC_LIST_CACHE_SECONDS", default=24 * 3600)
# Each user's unread count (the menu's badge), kept under a version of their
# inbox that every write to it moves (notifications.inbox); the backstop.
KC_INBOX_CACHE_SECONDS = env.int("KC_INBOX_CACHE_SECONDS", default=3600)
# One digest e-mail a day, early in the working morning (Hanoi time).
# The outbox: notices whose e-mail task never reached a worker (broker down).
CELERY_BEAT_SCHEDULE["notifications-send-due"] = {
    "task": "notifications.send_due",
    "schedule": 120.0,
}
CELERY_BEAT_SCHEDULE["notifications-daily-digest"] = {
    "task": "notifications.daily_digest",
    "schedule": crontab(hour=6, minute=30),
}
# Follow-ups after support (followups/): open those due, remind those not done;
# idempotent, so a second run the same day does nothing.
CELERY_BEAT_SCHEDULE["followups-daily"] = {
    "task": "followups.run",
    "schedule": crontab(hour=6, minute=0),
}

# The public transparency page (public/): rendered fragments are cached per
# data version (the dashboard's, retired on commit of any write it reads);
# this many seconds is only the backstop.
KC_PUBLIC_CACHE_SECONDS = env.int("KC_PUBLIC_CACHE_SECONDS", default=24 * 3600)
KC_PUBLIC_PAGE_SIZE = 50

# The JSON API (api/): tokens an administrator creates, cursor pages,
# throttled per token user (rates read at request time, see api.throttling).
KC_API_RATES = {
    "user": env("KC_API_USER_RATE", default="2000/hour"),
    "anon": env("KC_API_ANON_RATE", default="60/hour"),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.UserThrottle",
        "api.throttling.AnonThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng Khuyến công — API",
    "DESCRIPTION": (
        "API đọc và ghi dữ liệu khuyến công. Xác thực bằng khóa do quản trị "
        "viên cấp: `Authorization: Bearer <khóa>`. Xem docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "SourceEnum": "projects.models.choices.Source",
        "ProjectStatusEnum": "projects.models.choices.Status",
        "EstablishmentKindEnum": "enterprises.models.EstablishmentKind",
        "DisbursementKindEnum": "projects.models.money.DisbursementKind",
        "ReportKindEnum": "reports.models.ReportKind",
    },
}
