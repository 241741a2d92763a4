"""Test settings: same as base, with fast hashing and a throw-away private storage."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PRIVATE_STORAGE_ROOT = Path(tempfile.mkdtemp(prefix="khenthuong-private-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks in-process; tests marked celery_worker start a real worker instead.
CELERY_TASK_ALWAYS_EAGER = True
