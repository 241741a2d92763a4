"""Thin delivery tasks: they take ids and call `delivery`, which makes reruns harmless.

Imported by `outbox` (the hand-over on commit); imports only `delivery`. A failing row of a
batch, and the relay's hand-over, come back here to be dispatched: `delivery` knows no tasks.
"""

from datetime import timedelta

from celery import shared_task

from . import delivery

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 2,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": delivery.MAX_ATTEMPTS - 1,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


@shared_task(name="notifications.deliver_message", **RETRY)
def deliver_message(message_id: int) -> bool:
    """E-mail one outbox row; False when it was already sent (idempotent)."""
    return delivery.deliver(message_id)


@shared_task(name="notifications.deliver_batch", acks_late=True, reject_on_worker_lost=True)
def deliver_batch(message_ids: list[int]) -> int:
    """E-mail a sweep's rows; a failing row gets its own retrying task, the rest go on."""
    sent = 0
    for pk in message_ids:
        try:
            sent += delivery.deliver(pk)
        except Exception:
            deliver_message.apply_async((pk,), countdown=2)
    return sent


@shared_task(name="notifications.requeue_stale")
def requeue_stale(older_than_seconds: int = 300) -> int:
    """Hand unsent rows to Celery again (beat, every 5 minutes; `manage.py requeue_stale`)."""
    return delivery.requeue_stale(
        hand_over=deliver_batch.delay, older_than=timedelta(seconds=older_than_seconds)
    )


@shared_task(name="notifications.send_daily_digests")
def send_daily_digests() -> int:
    return delivery.send_daily_digests()
