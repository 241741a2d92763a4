"""Thin delivery tasks: they take ids and call the outbox, which makes reruns harmless."""

from datetime import timedelta

from celery import shared_task

from . import outbox

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 2,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


@shared_task(name="notifications.deliver_message", **RETRY)
def deliver_message(message_id: int) -> bool:
    """E-mail one outbox row; False when it was already sent (idempotent)."""
    return outbox.deliver(message_id)


@shared_task(name="notifications.deliver_batch", acks_late=True, reject_on_worker_lost=True)
def deliver_batch(message_ids: list[int]) -> int:
    """E-mail a sweep's rows; a failing row gets its own retrying task, the rest go on."""
    sent = 0
    for pk in message_ids:
        try:
            sent += outbox.deliver(pk)
        except Exception:
            deliver_message.apply_async((pk,), countdown=2)
    return sent


@shared_task(name="notifications.requeue_stale")
def requeue_stale(older_than_seconds: int = 300) -> int:
    return outbox.requeue_stale(older_than=timedelta(seconds=older_than_seconds))


@shared_task(name="notifications.send_daily_digests")
def send_daily_digests() -> int:
    return outbox.send_daily_digests()
