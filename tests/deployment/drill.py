"""What the failure drills share (issue 18; docs/deployment.md, "Failure drills").

- `AppServer`: the application as production runs it, a real gunicorn serving
  tests/deployment/drill_wsgi.py on the test database, with persistent, health-checked
  connections (CONN_MAX_AGE=60, the production default).
- `session_for(user)`: a logged-in session (made in the test process, kept in the shared
  database) and a CSRF pair, so the drill posts to the pages as a browser would.
- `restart_database(...)`: a real `pg_ctlcluster … restart` when the drill runs in CI or with
  KT_DRILL_RESTART_PG=1, otherwise every backend of the test database terminated, which is
  what a client sees of a restart (see the docstring for the difference).
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from django.test import Client
from psycopg.conninfo import make_conninfo

from tests.conftest import IN_CI, ROOT, database_url_for_worker

APP_NAME = "kt-drill-app"  # application_name of the app's connections in pg_stat_activity


def real_restart_wanted() -> bool:
    """A real PostgreSQL restart drops every connection on the machine (other test runs
    too), so it happens only in CI or when asked; KT_DRILL_RESTART_PG=0 refuses it even in
    CI."""
    wanted = os.environ.get("KT_DRILL_RESTART_PG", "")
    return wanted == "1" or (IN_CI and wanted != "0")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Response:
    status: int  # 0: no answer at all (the connection broke)
    location: str = ""
    error: str = ""


@dataclass
class Session:
    cookie: str
    csrf: str

    def headers(self) -> dict:
        return {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={self.cookie}; "
            f"{settings.CSRF_COOKIE_NAME}={self.csrf}",
            "X-CSRFToken": self.csrf,
        }


def session_for(user) -> Session:
    client = Client()
    client.force_login(user)
    # The CSRF secret is whatever the cookie says; the header repeats it (unmasked form).
    return Session(client.cookies[settings.SESSION_COOKIE_NAME].value, secrets.token_hex(16))


@dataclass
class AppServer:
    """`gunicorn tests.deployment.drill_wsgi:application` with one sync worker."""

    extra_env: dict = field(default_factory=dict)
    settings_module: str = "config.settings.test"
    proc: subprocess.Popen | None = None
    port: int = 0

    def start(self, log: Path) -> "AppServer":
        self.port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": self.settings_module,
            "DATABASE_URL": f"{database_url_for_worker()}?application_name={APP_NAME}",
            "CONN_MAX_AGE": "60",
            "PYTHONPATH": str(ROOT),
            **self.extra_env,
        }
        self._log = log.open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.deployment.drill_wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--worker-class",
                "sync",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text(errors='replace')}")
            if self.get("/healthz/").status == 200:
                return self
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz/: {log.read_text(errors='replace')}")

    def _call(self, method: str, path: str, headers: dict, body: str = "") -> Response:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            answer = conn.getresponse()
            answer.read()
            return Response(answer.status, answer.getheader("Location") or "")
        except (OSError, HTTPException) as exc:
            return Response(0, error=repr(exc))
        finally:
            conn.close()

    def get(self, path: str, session: Session | None = None) -> Response:
        return self._call("GET", path, session.headers() if session else {})

    def post(self, path: str, session: Session, data: str = "") -> Response:
        headers = {**session.headers(), "Content-Type": "application/x-www-form-urlencoded"}
        return self._call("POST", path, headers, data)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log.close()


def _admin_conninfo() -> str:
    s = connection.settings_dict
    return make_conninfo(
        host=s.get("HOST") or "127.0.0.1",
        port=s.get("PORT") or 5432,
        user=s.get("USER") or "postgres",
        password=s.get("PASSWORD") or None,
        dbname="postgres",
    )


def app_in_transaction(*, touching: str = "") -> bool:
    """True while one of the app's backends is inside a transaction (and its current or last
    statement mentions `touching`): the moment to pull the database away."""
    with psycopg.connect(_admin_conninfo(), autocommit=True) as admin:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND application_name = %s "
            "AND xact_start IS NOT NULL AND query ILIKE %s",
            [connection.settings_dict["NAME"], APP_NAME, f"%{touching}%"],
        ).fetchone()
    return row[0] > 0


def postgres_version() -> str:
    return sorted(os.listdir("/etc/postgresql"))[-1]


def restart_database(*, real: bool) -> int:
    """Pull the database away from every client of the test database, then wait until it
    answers again. Returns how many backends were terminated (-1 for a real restart).

    real=True: `pg_ctlcluster <version> main restart` (fast shutdown): every connection on the
    machine drops, the server is unreachable for a second or two, shared memory and caches
    start cold. real=False: `pg_terminate_backend` on each backend of the test database
    (the test's own included): each client sees exactly what it sees of a restart, the
    connection closed under it (FATAL 57P01 admin_shutdown), but the server never stops
    accepting connections, so the "unreachable for a while" part is not exercised.
    """
    name = connection.settings_dict["NAME"]
    if real:
        subprocess.run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                "-m",
                "fast",
                postgres_version(),
                "main",
                "restart",
            ],
            check=True,
            timeout=120,
        )
        terminated = -1
    else:
        with psycopg.connect(_admin_conninfo(), autocommit=True) as admin:
            terminated = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchone()[0]
    deadline = time.monotonic() + 60
    while True:
        try:
            with psycopg.connect(_admin_conninfo(), connect_timeout=2) as probe:
                probe.execute("SELECT 1")
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
    connection.close()  # the test's own connection died too; the next query reconnects
    return terminated


def poll(predicate, timeout: float = 60.0) -> bool:
    """Poll fast (a transaction's window is milliseconds); True if it held within timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.002)
    return False
