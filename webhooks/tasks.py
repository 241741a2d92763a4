"""Thin tasks: ids in, `delivery` does the work, so reruns are harmless.

A failed attempt is retried by Celery at the row's own `next_attempt_at` (delivery.backoff).
Run eagerly (development, tests) the task does not retry in a loop: the row waits, pending,
for the relay `retry_due` (beat, every minute), which also rescues rows whose task was lost
with the broker.
"""

from celery import shared_task
from django.utils import timezone

from . import delivery


@shared_task(
    bind=True,
    name="webhooks.deliver",
    max_retries=delivery.MAX_ATTEMPTS,
    acks_late=True,
    reject_on_worker_lost=True,
)
def deliver_webhook(self, delivery_id: int) -> bool:
    try:
        return delivery.deliver(delivery_id)
    except delivery.DeliveryFailed as failed:
        if failed.retry_at is None or self.request.is_eager:
            return False
        wait = max((failed.retry_at - timezone.now()).total_seconds(), 1)
        raise self.retry(countdown=wait, exc=failed) from None


@shared_task(name="webhooks.retry_due")
def retry_due() -> int:
    """Hand every due pending row to `deliver_webhook` again; returns how many."""
    ids = delivery.due()
    for pk in ids:
        deliver_webhook.delay(pk)
    return len(ids)
