"""The outbox: notices are rows written in the caller's transaction; e-mail leaves after commit.

`enqueue` and `enqueue_many` write rows (once per recipient and idempotency key) and, on
commit, hand their ids to Celery. `deliver` sends one row's e-mail at most once however many
workers or retries call it. If the broker is down the rows simply wait: `requeue_stale`
(beat, or `manage.py requeue_stale`) hands them to Celery again later.
"""

import json
import logging
import os
import time
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import Delivery, OutboxMessage, Preference
from .rendering import render_parts

log = logging.getLogger(__name__)

# Test seam for the SIGKILL test: while this file exists the worker pauses mid-delivery.
PAUSE_FILE_ENV = "NOTIFICATIONS_TEST_PAUSE_FILE"
# The task's own retries (tasks.RETRY) stop at 8; the relay gives up with them.
MAX_ATTEMPTS = 9


def enqueue(*, recipients: Iterable, template: str, context: dict, dedupe_key: str) -> list[int]:
    """Create one outbox row per recipient (once per dedupe_key) and schedule delivery.

    Side effects: rows join the caller's transaction (a rollback sends nothing); after
    commit, one delivery task per new row. One INSERT whatever the number of recipients.
    Returns the ids of the rows created now (a repeated key creates none). A QuerySet of
    users is not fetched: the database inserts straight from it (INSERT … SELECT).
    """
    if isinstance(recipients, QuerySet):
        ids = _insert_selected(recipients, template, context, dedupe_key)
    else:
        ids = _insert_new(
            (getattr(user, "pk", user), template, context, dedupe_key) for user in recipients
        )
    _dispatch_on_commit(ids)
    return ids


def enqueue_many(items: Iterable[tuple[int, str, dict, str]]) -> int:
    """Bulk form for sweeps: items are (recipient_id, template, context, dedupe_key).

    Only the rows inserted now are handed to Celery, as one batch task after commit (not
    one task per row). Returns how many rows it inserted.
    """
    ids = _insert_new(items)
    if ids:
        transaction.on_commit(_later(_send_batch_later, ids), robust=True)
    return len(ids)


# Shared by both inserts: a row is new once per (recipient, dedupe_key), and only the rows
# created now come back (their ids go to Celery after commit).
_COLUMNS = "(recipient_id, template, context, dedupe_key, created_at, attempts, last_error)"
_NEW_ONLY = "ON CONFLICT (recipient_id, dedupe_key) DO NOTHING RETURNING id"


def _json_placeholder() -> str:
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"


def _dump(context: dict) -> str:
    return json.dumps(context, cls=DjangoJSONEncoder, ensure_ascii=False)


def _insert_new(items: Iterable[tuple[int, str, dict, str]]) -> list[int]:
    """INSERT … ON CONFLICT (recipient, dedupe_key) DO NOTHING RETURNING id, in chunks."""
    table = OutboxMessage._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [(uid, tpl, _dump(ctx), key) for uid, tpl, ctx, key in items]
    row_sql = f"(%s, %s, {_json_placeholder()}, %s, %s, 0, '')"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            params = [v for uid, tpl, ctx, key in chunk for v in (uid, tpl, ctx, key, now)]
            cursor.execute(
                f"INSERT INTO {table} {_COLUMNS} "  # noqa: S608 - our names; values are params
                f"VALUES {', '.join([row_sql] * len(chunk))} {_NEW_ONLY}",
                params,
            )
            ids += [row[0] for row in cursor.fetchall()]
    return ids


def _insert_selected(users: QuerySet, template: str, context: dict, dedupe_key: str) -> list[int]:
    """One INSERT … SELECT for every user `users` yields, same idempotency as _insert_new."""
    table = OutboxMessage._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # No ORDER BY: DISTINCT with an ordering outside the select list fails on PostgreSQL.
    selected, params = users.order_by().values(recipient=F("pk")).query.sql_with_params()
    with connection.cursor() as cursor:
        # "WHERE true": SQLite needs it to tell the upsert's ON CONFLICT from a join's ON.
        cursor.execute(
            f"INSERT INTO {table} {_COLUMNS} "  # noqa: S608 - our names; values are params
            f"SELECT chosen.recipient, %s, {_json_placeholder()}, %s, %s, 0, '' "
            f"FROM ({selected}) chosen WHERE true {_NEW_ONLY}",
            [template, _dump(context), dedupe_key, now, *params],
        )
        return [row[0] for row in cursor.fetchall()]


def _later(func, arg):
    # Not functools.partial: Django logs a failed robust callback by its __qualname__.
    def send():
        func(arg)

    send.__qualname__ = f"{func.__name__}({arg!r})"[:200]
    return send


def _dispatch_on_commit(ids: list[int]) -> None:
    for pk in ids:
        transaction.on_commit(_later(_send_later, pk), robust=True)


def _send_later(pk: int) -> None:
    from .tasks import deliver_message

    deliver_message.delay(pk)


def _send_batch_later(ids: list[int]) -> None:
    from .tasks import deliver_batch

    deliver_batch.delay(ids)


def preference_of(user) -> Preference:
    pref = getattr(user, "notification_preference", None) if user else None
    return pref or Preference(user=user)


def _pause_if_asked() -> None:
    path = os.environ.get(PAUSE_FILE_ENV)
    if not path:
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
        pref = preference_of(message.recipient)
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


def requeue_stale(*, older_than: timedelta = timedelta(minutes=5), limit: int = 5000) -> int:
    """Hand unsent rows to Celery again; returns how many were handed over.

    Stops quietly at the first broker error: the rows wait for the next run.
    """
    ids = list(stale(older_than=older_than).values_list("pk", flat=True)[:limit])
    sent = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        try:
            _send_batch_later(chunk)
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
            pref = preference_of(user)
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


def visible_to(user, *, now: datetime | None = None) -> QuerySet:
    """The in-app notices `user` sees: all, or up to the start of today for a daily digest."""
    rows = OutboxMessage.objects.filter(recipient=user)
    if preference_of(user).in_app == Delivery.DIGEST:
        start_of_day = timezone.localtime(now or timezone.now()).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        rows = rows.filter(created_at__lt=start_of_day)
    return rows


def unread_count(user) -> int:
    return visible_to(user).filter(read_at__isnull=True).count()


def mark_read(user, *, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices read (all visible ones when `ids` is None); returns how many."""
    rows = visible_to(user).filter(read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


__all__ = [
    "deliver",
    "enqueue",
    "enqueue_many",
    "mark_read",
    "requeue_stale",
    "send_daily_digests",
    "unread_count",
    "visible_to",
]
