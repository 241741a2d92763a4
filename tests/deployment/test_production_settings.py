"""The production settings as a deployment runs them (a fresh interpreter, its environment):
logs are one JSON object per line; the health checks answer over plain HTTP while every
other page is sent to HTTPS; connections persist."""

import base64
import json
import os
import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = """
import logging, django
django.setup()
from django.conf import settings
from django.test import Client
logging.getLogger("khenthuong.test").warning("Đã gửi thông báo %s", 42)
client = Client()
print(client.get("/healthz/").status_code, client.get("/dang-nhap/").status_code)
db = settings.DATABASES["default"]
print(db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"])
"""


def run_production(**extra: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k" * 64,
        "BALLOT_KEY_ENCRYPTION_KEY": base64.urlsafe_b64encode(b"\x01" * 32).decode(),
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "sqlite:///:memory:",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_production_logs_are_json_lines_and_health_checks_skip_the_https_redirect():
    done = run_production()
    line = next(x for x in done.stderr.splitlines() if "khenthuong.test" in x)
    record = json.loads(line)
    assert record["level"] == "WARNING"
    assert record["logger"] == "khenthuong.test"
    assert record["message"] == "Đã gửi thông báo 42"
    assert "time" in record
    health, login = done.stdout.split()[:2]
    assert (health, login) == ("200", "301")  # the probe is answered; a page goes to https
    assert done.stdout.split()[2:] == ["60", "True"]


def test_log_format_text_gives_plain_lines_back():
    done = run_production(LOG_FORMAT="text")
    line = next(x for x in done.stderr.splitlines() if "Đã gửi thông báo 42" in x)
    assert not line.startswith("{")
