"""Settings of the Celery worker that tests start: real broker, file e-mail backend."""

from .test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
