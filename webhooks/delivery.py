"""Sending one outbox row: POST the JSON, signed, and log the attempt. Called by `tasks`.

At most one successful send per row: the row is locked (SELECT … FOR UPDATE) from the check
of its status to the write of the result, so a second worker (a Celery retry racing the
relay) waits and then finds it delivered. What the sender cannot rule out is a receiver
that took the POST but whose 2xx never arrived: then the event comes again with the same
`X-Khenthuong-Event-Id`, which receivers de-duplicate on (docs/webhooks.md).

Redirects are not followed (a 3xx is a failure: the registered URL is the one trusted),
proxies from the environment are ignored, and each attempt re-checks the address
(webhooks.addresses).
"""

import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import addresses, signing
from .models import Attempt, Delivery, DeliveryStatus

MAX_ATTEMPTS = 10
TIMEOUT_SECONDS = 10
USER_AGENT = "khenthuong-webhooks/1"


def backoff(attempts: int) -> timedelta:
    """Wait after the n-th failed attempt: 30 s, 1, 2, 4 … minutes, at most 6 hours."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def allow_local() -> bool:
    return bool(getattr(settings, "KHENTHUONG_WEBHOOKS_ALLOW_LOCAL", settings.DEBUG))


class DeliveryFailed(Exception):
    """The attempt failed; `retry_at` is when the row is due again (None: given up)."""

    def __init__(self, message: str, *, retry_at: datetime | None) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def headers_for(row: Delivery, *, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Khenthuong-Event": row.event,
        "X-Khenthuong-Event-Id": str(row.event_id),
        "X-Khenthuong-Timestamp": str(timestamp),
        "X-Khenthuong-Signature": signing.signature(row.endpoint.secret, timestamp, body),
    }


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """The response's status code; raises OSError (URLError) when nothing came back."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 -- scheme checked by addresses.problem
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            response.read(65536)
            return response.status
    except urllib.error.HTTPError as error:  # a 4xx/5xx (or an unfollowed 3xx) answer
        return error.code


def deliver(delivery_id: int, *, now: datetime | None = None) -> bool:
    """Send one pending, due row now; True when the receiver answered 2xx.

    Returns False without sending when the row is delivered, given up, cancelled or not yet
    due. Raises DeliveryFailed after logging a failed attempt, with the time it is due again
    (backoff), or None once MAX_ATTEMPTS are spent (the row is then `failed`).
    """
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if row is None:
            return False
        # A retry waits for its backoff; the first attempt never does (a worker whose clock
        # lags the web server's would otherwise leave a fresh row to the relay).
        if row.attempts and row.next_attempt_at and row.next_attempt_at > now:
            return False
        if not row.endpoint.is_active:
            Delivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.CANCELLED)
            return False
        number = row.attempts + 1
        body = row.body.encode("utf-8")
        code, error = None, ""
        started = time.monotonic()
        refused = addresses.problem(row.endpoint.url, allow_local=allow_local())
        if refused:
            error = refused
        else:
            timestamp = int(time.time())
            try:
                code = _post(
                    row.endpoint.url, body, headers_for(row, timestamp=timestamp, body=body)
                )
            except (OSError, ValueError) as exc:
                error = f"{type(exc).__name__}: {exc}"[:2000]
        ok = code is not None and 200 <= code < 300
        if code is not None and not ok:
            error = f"HTTP {code}"
        Attempt.objects.create(
            delivery=row,
            number=number,
            at=now,
            status_code=code,
            error=error,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        if ok:
            status, retry_at = DeliveryStatus.DELIVERED, None
        elif number >= MAX_ATTEMPTS:
            status, retry_at = DeliveryStatus.FAILED, None
        else:
            status, retry_at = DeliveryStatus.PENDING, now + backoff(number)
        Delivery.objects.filter(pk=row.pk).update(
            status=status,
            attempts=number,
            next_attempt_at=retry_at,
            last_status_code=code,
            last_error=error,
            delivered_at=now if ok else None,
        )
    if not ok:
        raise DeliveryFailed(error, retry_at=retry_at)
    return True


def due(*, now: datetime | None = None, limit: int = 1000) -> list[int]:
    """Ids of pending rows whose next attempt is due (the relay hands them to Celery)."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
