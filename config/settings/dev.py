"""Local development and the demo: DEBUG on, SQLite, Celery eager unless a broker is set."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403
