"""The in-app inbox: which notices a user sees, how many are unread, marking them read.

Read by `views.py` (the list behind the bell) and `context_processors.unread` (the bell).
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .models import Delivery, OutboxMessage, Preference


def visible_to(user, *, now: datetime | None = None) -> QuerySet:
    """The in-app notices `user` sees: all, or up to the start of today for a daily digest."""
    rows = OutboxMessage.objects.filter(recipient=user)
    if Preference.of(user).in_app == Delivery.DIGEST:
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


__all__ = ["mark_read", "unread_count", "visible_to"]
