"""Local development and the demo: DEBUG on, SQLite, Celery eager unless a broker is set."""

import os

os.environ.setdefault("DEBUG", "true")

import base64
import hashlib

from .base import *  # noqa: F403
from .base import BALLOT_KEY_ENCRYPTION_KEY, SECRET_KEY

if not BALLOT_KEY_ENCRYPTION_KEY:
    # Development only: derived from SECRET_KEY so that a restarted server still opens the
    # ballots of a meeting left open. Production sets its own (production.py refuses without).
    BALLOT_KEY_ENCRYPTION_KEY = base64.urlsafe_b64encode(
        hashlib.sha256(b"khenthuong/ballot-kek/dev:" + SECRET_KEY.encode()).digest()
    ).decode("ascii")
