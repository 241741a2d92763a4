"""Test settings: same as base, with fast hashing and a throw-away private storage."""

import base64
import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

# A fresh key-encryption key for sealed ballots per run, put in the environment so that the
# processes the tests start (a Celery worker) share it.
BALLOT_KEY_ENCRYPTION_KEY = os.environ.setdefault(
    "BALLOT_KEY_ENCRYPTION_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")
)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PRIVATE_STORAGE_ROOT = Path(tempfile.mkdtemp(prefix="khenthuong-private-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks in-process; tests marked celery_worker start a real worker instead.
CELERY_TASK_ALWAYS_EAGER = True
# Issuing a decision does not convert and sign it (LibreOffice takes seconds); the tests of
# signed PDFs turn it on (tests/decisions/test_signature.py).
KHENTHUONG_SIGN_ON_ISSUE = False
# The name pytest gives the test database (default "test_" + the name in DATABASE_URL): lets
# runs that share a PostgreSQL server keep their own (e.g. TEST_DATABASE_NAME=kt_drills_test).
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}  # noqa: F405
