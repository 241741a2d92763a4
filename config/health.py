"""Health checks for the load balancer and the orchestrator (docs/deployment.md).

- `/healthz/` — liveness: the web process answers. No database, so a database outage does
  not make the orchestrator restart every web process at once.
- `/readyz/` — readiness: the database answers a query and, when Celery has a broker, the
  broker accepts a connection. 503 with the failing part named, so the proxy stops sending
  requests to a process that cannot serve them. Transitions do not need the broker (notices
  wait in the outbox), so a broker outage is reported but leaves the process ready.

Both are public (no log-in, no session, no CSRF) and tell nothing but "ok" or the name of
the failing part: no versions, no hosts, no error text.
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

log = logging.getLogger(__name__)


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "not ready": the reason goes to the log only
        log.exception("readiness: the database does not answer")
        return False


def _broker() -> bool | None:
    """None when tasks run in-process (no broker configured)."""
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return None
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1)
        return True
    except Exception:  # as above
        log.exception("readiness: the broker does not answer")
        return False


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    database, broker = _database(), _broker()
    checks = {"database": "ok" if database else "down"}
    if broker is not None:
        checks["broker"] = "ok" if broker else "down"
    return JsonResponse(
        {"status": "ok" if database else "down", "checks": checks},
        status=200 if database else 503,
    )
