"""Shared fixtures. Services (PostgreSQL, Redis) are real: a test that needs one is skipped
on a developer's SQLite run, and fails instead when CI=true, so CI can never pass by skipping.
"""

import email.policy
import os
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from email.parser import Parser
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from django.db import connection

from config.celery import app
from dossiers.catalogue import seed_catalogue
from organisations.demo import seed_organisations
from organisations.models import Organisation

IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parent.parent
BROKER_URL = os.environ.get("CELERY_BROKER_URL") or ("redis://127.0.0.1:6379/0" if IN_CI else "")


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"CI=true but {reason}: the test must run, not skip.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _real_services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("this test needs PostgreSQL (set DATABASE_URL=postgres://…)")
    if request.node.get_closest_marker("celery_worker") and not (
        BROKER_URL and _reachable(BROKER_URL)
    ):
        _missing("this test needs Redis for a real Celery worker (set CELERY_BROKER_URL)")


@pytest.fixture
def demo(db):
    """The demo province (organisations, users, roles) and the award catalogue."""
    seed_organisations()
    seed_catalogue()
    return {o.code: o for o in Organisation.objects.all()}


@pytest.fixture
def user_of(demo, django_user_model):
    """user_of("hop-thanh", "vanphong") -> the demo user with that role slug, fetched fresh."""

    def get(org_code: str, role_slug: str):
        return django_user_model.objects.get(username=f"{org_code}.{role_slug}")

    return get


def database_url_for_worker() -> str:
    s = connection.settings_dict
    user = quote(s.get("USER") or "")
    auth = f"{user}:{quote(s.get('PASSWORD') or '')}@" if user else ""
    return f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path, settings):
    """A real `celery worker` subprocess on Redis, sharing the test database.

    Yields a handle with the mail folder the worker's file e-mail backend writes to, and a
    `restart()` for tests that kill it. The client stops running tasks eagerly meanwhile.
    """
    if connection.vendor != "postgresql":
        _missing("a real worker shares the test database, which needs PostgreSQL")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.worker_test",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": BROKER_URL,
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONPATH": str(ROOT),
    }
    previous = (app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.broker_url = BROKER_URL
    app.conf.task_default_queue = queue

    class Worker:
        proc: subprocess.Popen | None = None

        def start(self):
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-P",
                    "solo",
                    "-Q",
                    queue,
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-l",
                    "WARNING",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            time.sleep(0.5)
            return self

        mail = mail_dir
        queue_name = queue

        def stop(self):
            if self.proc and self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()

    worker = Worker().start()
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue = previous


def sent_mail(mail_dir: Path) -> list:
    """Every message the worker's file e-mail backend wrote (one file per connection, each
    message followed by a line of 79 dashes), parsed, headers unfolded."""
    messages = []
    for path in sorted(mail_dir.iterdir()):
        for chunk in path.read_text(encoding="utf-8", errors="replace").split("-" * 79):
            if chunk.strip():
                messages.append(Parser(policy=email.policy.default).parsestr(chunk.lstrip()))
    return messages


def sent_keys(mail_dir: Path) -> Counter:
    """How many e-mails the worker wrote for each outbox row ("<pk>:<dedupe_key>": the
    X-Khenthuong-Key header of notifications.delivery._email)."""
    return Counter(str(m["X-Khenthuong-Key"]).strip() for m in sent_mail(mail_dir))


def wait_for(predicate, *, timeout: float = 30.0, step: float = 0.2):
    """Poll until predicate() is truthy; return its value or fail naming the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    pytest.fail(f"condition not met within {timeout}s")
