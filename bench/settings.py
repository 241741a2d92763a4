"""The bench's server settings: the development settings with DEBUG off, persistent
connections, PostgreSQL's JIT off (docs/performance.md: it cost 0.5 s of compilation on
queries the planner over-estimates) and the bench-only bare view (bench/urls.py). Only the
bench scripts load this module (DJANGO_SETTINGS_MODULE=bench.settings); production never does."""

import os

os.environ["DEBUG"] = "false"
os.environ.setdefault("CONN_MAX_AGE", "60")

from config.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"  # noqa: F405
