"""Production: everything secret or host-specific must come from the environment."""

import base64
import binascii
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")

# Secret ballots (councils/sealing.py): without the key-encryption key no secret vote could
# be taken or counted, and a key kept in the database would let its readers open them.
BALLOT_KEY_ENCRYPTION_KEY = os.environ.get("BALLOT_KEY_ENCRYPTION_KEY", "")
_ballot_keys = [k.strip() for k in BALLOT_KEY_ENCRYPTION_KEY.split(",") if k.strip()]
try:
    _ballot_ok = bool(_ballot_keys) and all(
        len(base64.urlsafe_b64decode(k.encode("ascii"))) == 32 for k in _ballot_keys
    )
except (binascii.Error, UnicodeEncodeError):
    _ballot_ok = False
if not _ballot_ok:
    raise ImproperlyConfigured(
        "Set BALLOT_KEY_ENCRYPTION_KEY to URL-safe base64 of 32 random bytes (several, "
        "comma-separated, newest first, to rotate), e.g. "
        'python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"'
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The load balancer probes the processes over plain HTTP (config/health.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
# A connection kept for a minute: a new one per request cost more than the page (issue 18).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))  # noqa: F405

# Structured logs: one JSON object per line on stderr, for the log collector
# (docs/deployment.md, "Logs"). LOG_FORMAT=text gives the plain lines back.
if os.environ.get("LOG_FORMAT", "json") == "json":
    LOGGING = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    }
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
