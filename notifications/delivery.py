"""Delivery: e-mail one outbox row at most once, relay the stale ones, send the daily digests.

Called by `tasks` (ids in). Never imports `tasks` or `outbox`: where a row must go back to
Celery (`requeue_stale`), the caller passes the hand-over, and a failing row of a batch is
re-dispatched by `tasks.deliver_batch` itself.
"""

import logging
import os
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import Delivery, OutboxMessage, Preference
from .rendering import render_parts

log = logging.getLogger(__name__)

# Test seam for the SIGKILL test: while this file exists a delivery that starts pauses (and
# says so in "<file>.entered"); without the file deliveries run on.
PAUSE_FILE_ENV = "NOTIFICATIONS_TEST_PAUSE_FILE"
# The task's own retries (tasks.RETRY, max_retries = MAX_ATTEMPTS - 1) stop at 8; the relay
# gives up with them.
MAX_ATTEMPTS = 9


def _pause_if_asked() -> None:
    path = os.environ.get(PAUSE_FILE_ENV)
    if not path or not os.path.exists(path):
        return
    open(f"{path}.entered", "a").close()
    until = time.monotonic() + 120
    while os.path.exists(path) and time.monotonic() < until:
        time.sleep(0.1)


def deliver(message_id: int) -> bool:
    """E-mail one outbox row now. Two calls, or two workers, still send it once.

    The row stays locked (SELECT … FOR UPDATE) from the check to the write of `emailed_at`,
    so a second worker waits and then finds it sent. A worker killed mid-delivery rolls back
    with its connection: the row is unsent again and a redelivery or `requeue_stale` sends it.
    Returns False when nothing was sent (already sent, digest or no address). Raises the
    backend's error so the task retries with backoff.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(of=("self",))
            .select_related("recipient", "recipient__notification_preference")
            .filter(pk=message_id, emailed_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        pref = Preference.of(message.recipient)
        if pref.email != Delivery.IMMEDIATE or not message.recipient.email:
            return False
        _pause_if_asked()
        error = None
        try:
            _email(message, pref)
        except Exception as exc:
            error = exc
        # Record the attempt in the same transaction, then raise outside it for the retry.
        OutboxMessage.objects.filter(pk=message.pk).update(
            emailed_at=None if error else timezone.now(),
            attempts=message.attempts + 1,
            last_error=str(error)[:2000] if error else "",
        )
    if error is not None:
        raise error
    return True


def _email(message: OutboxMessage, pref: Preference) -> None:
    """The e-mail channel: subject, text and HTML in the recipient's language."""
    parts = render_parts(
        message.template, {"message": message, **message.context}, language=pref.language
    )
    mail = EmailMultiAlternatives(
        parts.subject,
        parts.text,
        None,
        [message.recipient.email],
        headers={"X-Khenthuong-Key": f"{message.pk}:{message.dedupe_key}"},
    )
    if parts.html:
        mail.attach_alternative(parts.html, "text/html")
    mail.send()


def stale(*, older_than: timedelta, now: datetime | None = None) -> QuerySet:
    """Rows that should have been e-mailed by now and were not (broker down, worker lost)."""
    now = now or timezone.now()
    user_model = get_user_model()
    wants_now = Q(recipient__notification_preference__isnull=True) | Q(
        recipient__notification_preference__email=Delivery.IMMEDIATE
    )
    return (
        OutboxMessage.objects.filter(
            emailed_at__isnull=True,
            created_at__lte=now - older_than,
            attempts__lt=MAX_ATTEMPTS,  # past this, an administrator looks at last_error
        )
        .filter(wants_now)
        .exclude(recipient__in=user_model.objects.filter(email=""))
        .order_by("pk")
    )


def requeue_stale(
    *,
    hand_over: Callable[[list[int]], object],
    older_than: timedelta = timedelta(minutes=5),
    limit: int = 5000,
) -> int:
    """Hand unsent rows to Celery again, 500 ids per `hand_over` call; returns how many.

    `hand_over` is the batch task's `delay` (tasks.requeue_stale passes it). Stops quietly
    at the first broker error: the rows wait for the next run.
    """
    ids = list(stale(older_than=older_than).values_list("pk", flat=True)[:limit])
    sent = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        try:
            hand_over(chunk)
        except Exception:
            log.warning("broker unavailable; %s notices wait for the next relay", len(ids) - sent)
            break
        sent += len(chunk)
    return sent


def send_daily_digests(*, now: datetime | None = None) -> int:
    """One e-mail per digest user with the day's unsent notices; returns e-mails sent."""
    now = now or timezone.now()
    users = (
        get_user_model()
        .objects.filter(
            notification_preference__email=Delivery.DIGEST,
            notifications__emailed_at__isnull=True,
            notifications__created_at__lte=now,
        )
        .exclude(email="")
        .distinct()
    )
    count = 0
    for user in users:
        with transaction.atomic():
            rows = list(
                OutboxMessage.objects.select_for_update()
                .filter(recipient=user, emailed_at__isnull=True, created_at__lte=now)
                .order_by("created_at", "pk")
            )
            if not rows:
                continue
            pref = Preference.of(user)
            lines = []
            for row in rows:
                parts = render_parts(
                    row.template, {"message": row, **row.context}, language=pref.language
                )
                lines.append(f"- {parts.subject}")
            with override(pref.language):
                subject = _("[khenthuong] Tổng hợp thông báo trong ngày (%(count)s)") % {
                    "count": len(rows)
                }
            EmailMultiAlternatives(subject, "\n".join(lines), None, [user.email]).send()
            OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).update(
                emailed_at=now, digested_at=now
            )
            count += 1
    return count


__all__ = ["MAX_ATTEMPTS", "PAUSE_FILE_ENV", "deliver", "requeue_stale", "send_daily_digests"]
