"""Thin periodic tasks of the workflow app (scheduled by django-celery-beat, see 0002)."""

from celery import shared_task

from . import deadlines


@shared_task(name="workflow.sweep_deadlines", acks_late=True, reject_on_worker_lost=True)
def sweep_deadlines() -> int:
    """Send due reminders and escalate overdue stages; safe to run twice at once."""
    return deadlines.sweep_deadlines()
