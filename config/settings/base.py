"""Settings shared by every environment; values come from the environment (12-factor)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.formats import DAY_FIRST_DATE_INPUT_FORMATS, DAY_FIRST_DATETIME_INPUT_FORMATS

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER's TemplatesSetting lookup
    "guardian",
    "treebeard",
    "django_filters",
    "viewflow",
    "viewflow.workflow",
    "django_celery_beat",
    "axes",
    "csp",
    "audit",
    "organisations",
    "notifications",
    "workflow",
    "dossiers",
    "councils",
    "decisions",
    "registry",
    "webhooks",  # signed event deliveries through an outbox (issue 17)
    "interchange",  # e-dossier packages, .xlsx imports (issue 17)
    "reports",  # statistics, statutory report forms, the per-role guides (issue 16)
    "campaigns",  # campaigns, clusters and blocks, covenants, role models (issue 16)
    "demo",
    "integrity",  # manage.py check_invariants: reads every app, imported by none
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from this site (the CSP allows no CDN)
    "api",  # the REST API (/api/v1/): calls the services the pages call; imported by none
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.SessionIdleTimeoutMiddleware",
    "config.middleware.PasswordChangeRequiredMiddleware",
    "config.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "audit.middleware.RequestContextMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the request into our page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# One form rendering for every form (templates/django/forms/: label, hint, the error next
# to the field, the required mark, "— Chọn —" for an empty choice); nominees-forms.
FORM_RENDERER = "dossiers.forms.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "notifications.context_processors.unread",
                "decisions.context_processors.menu",
                "organisations.context_processors.identity",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        # `or`: an empty DATABASE_URL (as `DATABASE_URL= make test` sets) means the default.
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections (production defaults to 60 s; docs/deployment.md), checked
        # before reuse so a restarted PostgreSQL costs one failed check, not a failed request.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The SQLite dev server answered two concurrent clicks with 500 "database is locked":
    # a writer now waits up to 20 s for the lock, and every transaction takes the write lock
    # when it begins (BEGIN IMMEDIATE, Django 5.1+), so a read-then-write transaction cannot
    # deadlock on the upgrade. Concurrent clicks queue; PostgreSQL is unaffected.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")), "transaction_mode": "IMMEDIATE"}
    )
# Two database roles on PostgreSQL (docs/security.md, "Two database roles"): DATABASE_URL is
# the application's role (khenthuong_app: no UPDATE/DELETE/TRUNCATE on the audit trail);
# DATABASE_OWNER_URL, when set, is the tables' owner, used only by `migrate`, `flush` and
# `grant_app_role` (audit/management/commands), which connect as it for their run. Unset:
# one role does everything (SQLite, development, the test suite).
DATABASE_OWNER = (
    dj_database_url.parse(os.environ["DATABASE_OWNER_URL"])
    if os.environ.get("DATABASE_OWNER_URL")
    else None
)
# The role `grant_app_role` grants to when none is named (`--role`).
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "khenthuong_app")

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or IP before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first; English available through the language switch.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# config/locale first: Vietnamese for Django's own strings that its vi catalogue lacks
# ("Please correct the error below." and others the admin shows; see its django.po).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "config" / "locale"]
# dd/mm/yyyy in both languages (config/formats): Django read "10/12/2026" as 12 October.
FORMAT_MODULE_PATH = ["config.formats"]
DATE_INPUT_FORMATS = DAY_FIRST_DATE_INPUT_FORMATS  # when no language is active (tasks)
DATETIME_INPUT_FORMATS = DAY_FIRST_DATETIME_INPUT_FORMATS
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded dossier documents live outside any web root and are served only by a
# permission-checked view (dossiers.views.download_document); MEDIA_URL is never routed.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", BASE_DIR / "var" / "private"))
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Signed decisions (decisions/signing.py, docs/signing.md). The issued decision is converted
# to PDF and signed after the commit; KHENTHUONG_CERTIFICATE_KEYS are the Fernet keys the
# uploaded PKCS#12 certificates are encrypted with (newest first; empty: derived from
# SECRET_KEY, for development only). They are never stored in the database.
KHENTHUONG_SIGN_ON_ISSUE = env_bool("KHENTHUONG_SIGN_ON_ISSUE", True)
KHENTHUONG_CERTIFICATE_KEYS = env_list("KHENTHUONG_CERTIFICATE_KEYS", "")
KHENTHUONG_SOFFICE = os.environ.get("KHENTHUONG_SOFFICE", "")
KHENTHUONG_PDF_TIMEOUT = int(os.environ.get("KHENTHUONG_PDF_TIMEOUT", "120"))
KHENTHUONG_SIGN_LOCATION = os.environ.get("KHENTHUONG_SIGN_LOCATION", "Việt Nam")
# The public verification page (/xac-minh/<token>/): requests per client IP per minute.
KHENTHUONG_VERIFY_RATE = int(os.environ.get("KHENTHUONG_VERIFY_RATE", "30"))

# Secret ballots (councils/sealing.py, docs/security.md "Secret ballots"): each meeting's
# private key is stored only wrapped under this key-encryption key, so nobody reading the
# database can open a sealed ballot. URL-safe base64 of 32 bytes; several, comma-separated,
# newest first, to rotate. Never in the database. Production refuses to start without it;
# dev and test settings make one when it is unset.
BALLOT_KEY_ENCRYPTION_KEY = os.environ.get("BALLOT_KEY_ENCRYPTION_KEY", "")

# guardian
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# Hardening (docs/security.md, issue 15).
# Log-in throttling (django-axes) on /dang-nhap/ and /quan-tri/login/: after
# AXES_FAILURE_LIMIT wrong passwords for one account, or from one IP, further attempts,
# the right password included, are refused for AXES_COOLOFF_TIME; every refused attempt
# restarts the wait. The IP is REMOTE_ADDR, as in the audit trail (audit.middleware).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = env_list("AXES_LOCKOUT_PARAMETERS", "username,ip_address")
AXES_CLIENT_IP_CALLABLE = "audit.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "config.accounts.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): nothing but this site's own files; no inline script
# or style exists in our templates (tests/security/test_hardening.py checks them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Sessions: ended after SESSION_IDLE_TIMEOUT seconds without a request
# (config.middleware.SessionIdleTimeoutMiddleware), and never kept longer than
# SESSION_COOKIE_AGE (Django's default is two weeks). Django rotates the session key at
# log-in (django.contrib.auth.login -> cycle_key), so a planted session id is worthless.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(8 * 3600)))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(12 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# The cache (the statistics' figures, reports.cache): per process by default; production
# sets CACHE_REDIS_URL so that every gunicorn worker shares the kept figures.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_REDIS_URL"],
        }
        if os.environ.get("CACHE_REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Celery: without a broker URL, tasks run in-process (demo, first run, unit tests).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Installed into django-celery-beat's tables when beat starts (DatabaseScheduler); the
# times are Asia/Ho_Chi_Minh. Reminders go out before the working day starts.
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {
        "task": "workflow.sweep_deadlines",
        "schedule": crontab(hour=6, minute=30),
    },
    "requeue-stale-notices": {
        "task": "notifications.requeue_stale",
        "schedule": timedelta(minutes=5),
    },
    "daily-digests": {
        "task": "notifications.send_daily_digests",
        "schedule": crontab(hour=16, minute=30),
    },
    # Webhook rows whose next attempt is due (a lost task, a broker outage): issue 17.
    "webhooks-retry-due": {
        "task": "webhooks.retry_due",
        "schedule": timedelta(minutes=1),
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Where users reach the site: links in e-mails are made absolute with it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "khenthuong@localhost")
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# The REST API (api/, docs/api.md): tokens or the session (with CSRF); everything else is
# refused; one error shape (api.errors.handle); cursor pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "api.errors.handle",
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "khenthuong API",
    "DESCRIPTION": (
        "Award dossiers, councils, decisions and the registry of a Vietnamese province "
        "(thi đua, khen thưởng). Every write calls the service the pages call; objects "
        "the user may not see answer 404. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SECURITY": [{"token": []}, {"cookieAuth": []}],
    "ENUM_NAME_OVERRIDES": {
        "DossierStatusEnum": "workflow.states.DossierStatus",
        "MeetingStatusEnum": "councils.models.MeetingStatus",
        "MeetingKindEnum": "councils.models.MeetingKind",
        "DecisionStatusEnum": "decisions.models.DecisionStatus",
        "RegistryStatusEnum": "registry.models.RegistryStatus",
        "NomineeKindEnum": "dossiers.models.NomineeKind",
        "DossierKindEnum": "dossiers.models.DossierKind",
        "SubjectEnum": "dossiers.models.Subject",
    },
}
