"""The outbox: notices are rows written in the caller's transaction; e-mail leaves after commit.

`enqueue` and `enqueue_many` write rows (once per recipient and idempotency key) and, on
commit, hand their ids to Celery (`tasks`, which call `delivery`). If the broker is down the
rows simply wait: `delivery.requeue_stale` (beat, or `manage.py requeue_stale`) hands them to
Celery again later. Imports point one way: outbox → tasks → delivery.
"""

import json
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from . import tasks
from .kinds import NoticeKind, notice_kind
from .models import OutboxMessage


def enqueue(
    *, recipients: Iterable, template: NoticeKind | str, context: dict, dedupe_key: str
) -> list[int]:
    """Create one outbox row per recipient (once per dedupe_key) and schedule delivery.

    Side effects: rows join the caller's transaction (a rollback sends nothing); after
    commit, one delivery task per new row. One INSERT whatever the number of recipients.
    Returns the ids of the rows created now (a repeated key creates none). A QuerySet of
    users is not fetched: the database inserts straight from it (INSERT … SELECT).
    Raises ValueError, before writing anything, when `template` is not a NoticeKind.
    """
    kind = notice_kind(template).value
    if isinstance(recipients, QuerySet):
        ids = _insert_selected(recipients, kind, context, dedupe_key)
    else:
        ids = _insert_new(
            (getattr(user, "pk", user), kind, context, dedupe_key) for user in recipients
        )
    for pk in ids:
        transaction.on_commit(_later(_send_later, pk), robust=True)
    return ids


def enqueue_many(items: Iterable[tuple[int, NoticeKind | str, dict, str]]) -> int:
    """Bulk form for sweeps: items are (recipient_id, template, context, dedupe_key).

    Only the rows inserted now are handed to Celery, as one batch task after commit (not
    one task per row). Returns how many rows it inserted. Raises ValueError, before writing
    anything, when an item's template is not a NoticeKind.
    """
    checked = [(uid, notice_kind(tpl).value, ctx, key) for uid, tpl, ctx, key in items]
    ids = _insert_new(checked)
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
    """INSERT … ON CONFLICT (recipient, dedupe_key) DO NOTHING RETURNING id, in chunks.

    On PostgreSQL each chunk is one statement with one parameter, the rows as a JSON
    document (`jsonb_to_recordset`): psycopg binds parameters on the client, and quoting
    20 000 placeholders (or the elements of arrays) one by one cost more than the insert
    itself (the reminder sweep, issue 18). Elsewhere, a VALUES list of 1 000 rows.
    """
    table = OutboxMessage._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    items = list(items)
    ids: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for start in range(0, len(items), 5000):
                chunk = [
                    {"r": uid, "t": tpl, "c": ctx, "k": key}
                    for uid, tpl, ctx, key in items[start : start + 5000]
                ]
                cursor.execute(
                    f"INSERT INTO {table} {_COLUMNS} "  # noqa: S608 - our names; values are params
                    "SELECT u.r, u.t, u.c, u.k, %s, 0, '' FROM jsonb_to_recordset(%s::jsonb) "
                    f"AS u(r bigint, t text, c jsonb, k text) {_NEW_ONLY}",
                    [now, _dump(chunk)],
                )
                ids += [row[0] for row in cursor.fetchall()]
            return ids
        rows = [(uid, tpl, _dump(ctx), key) for uid, tpl, ctx, key in items]
        row_sql = f"(%s, %s, {_json_placeholder()}, %s, %s, 0, '')"
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


# ---------------------------------------------------------------- the hand-over on commit


def _later(func, arg):
    # Not functools.partial: Django logs a failed robust callback by its __qualname__.
    def send():
        func(arg)

    send.__qualname__ = f"{func.__name__}({arg!r})"[:200]
    return send


# The task is looked up on the module at call time, so a test can replace its `delay`.
def _send_later(pk: int) -> None:
    tasks.deliver_message.delay(pk)


def _send_batch_later(ids: list[int]) -> None:
    tasks.deliver_batch.delay(ids)


__all__ = ["enqueue", "enqueue_many"]
