"""The health checks the load balancer reads (config/health.py, docs/deployment.md)."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_a_log_in(client):
    response = client.get("/healthz/")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-cache" in response["Cache-Control"]


def test_readiness_reports_the_database(client):
    response = client.get("/readyz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readiness_fails_when_the_database_does_not_answer(client, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", down)
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "checks": {"database": "down"}}
    assert "refused" not in response.content.decode()  # the reason goes to the log only


def test_a_broker_outage_is_reported_but_leaves_the_process_ready(client, settings):
    # Transitions need no broker: notices wait in the outbox until it returns.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz/")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "down"}
