"""The clock tallies (workflow.ClockTally): the statistics' closed stage clocks, kept as the
clocks close (issue 16; docs/statistics.md, "Performance").

`close_deadlines` (workflow.deadlines), the one service that stops a clock for good, calls
`add_clocks` in its transaction. A clock replaced by a reopening (`open_deadline`) is no
statistic and gets no row; a clock still open is read live by the page (whether it is late
depends on today). Bulk loaders (reports.demo) call `rebuild_clock_tallies` instead.
The working days a clock ran are counted when it closes, on the configured calendar.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncDate

from .calendar import WorkCalendar
from .models import ClockTally, StageDeadline

# Clocks that did not run to the end of their stage: a return stops one (it restarts from
# zero on resubmission, domain §4), a withdrawal ends the dossier; they count in the
# overdue rates, never as a stage time.
STOPPED = ("returned", "reopened", "withdrawn")
# Replaced by a new round of the same stage (open_deadline): not a statistic at all.
REOPENED = "reopened"
KEY = (
    "organisation_id",
    "tier",
    "award_code",
    "campaign_id",
    "started_on",
    "whole_month",
    "days",
    "finished",
    "late",
)
CalendarOf = Callable[[Iterable[int]], WorkCalendar]


def _grouped(clocks: QuerySet, calendar_of: CalendarOf) -> list[dict]:
    """The closed `clocks` summed by the tally's key: what their tally rows hold, a row per
    start day and one per start month. `calendar_of(years)` is the configured working-day
    calendar (workflow.deadlines.configured_calendar, handed in: deadlines imports this)."""
    rows = list(
        clocks.filter(closed_at__isnull=False)
        .exclude(close_reason=REOPENED)
        .annotate(
            t_tier=F("stage__tier"),
            t_code=F("dossier__award_type__code"),
            t_campaign=F("dossier__campaign_id"),
            t_ended=TruncDate("closed_at"),  # the day in the configured time zone
            t_finished=ExpressionWrapper(~Q(close_reason__in=STOPPED), BooleanField()),
            t_late=ExpressionWrapper(Q(closed_at__date__gt=F("due_on")), BooleanField()),
        )
        .values(
            "organisation_id",
            "t_tier",
            "t_code",
            "t_campaign",
            "started_on",
            "t_ended",
            "t_finished",
            "t_late",
        )
        .annotate(t_count=Count("pk"))
        .order_by()
    )
    if not rows:
        return []
    ordinal = working_day_ordinals(
        # A clock may close before the day it was opened for (a receipt dated ahead).
        min(min(r["t_ended"], r["started_on"]) for r in rows),
        max(max(r["t_ended"], r["started_on"]) for r in rows),
        calendar_of,
    )
    grouped: dict[tuple, dict] = {}
    for r in rows:
        for whole_month in (False, True):
            group = {
                "organisation_id": r["organisation_id"],
                "tier": r["t_tier"],
                "award_code": r["t_code"],
                "campaign_id": r["t_campaign"],
                "started_on": r["started_on"].replace(day=1) if whole_month else r["started_on"],
                "whole_month": whole_month,
                "days": max(0, ordinal[r["t_ended"]] - ordinal[r["started_on"]]),
                "finished": bool(r["t_finished"]),
                "late": bool(r["t_late"]),
                "count": 0,
            }
            key = tuple(group[name] for name in KEY)
            grouped.setdefault(key, group)["count"] += r["t_count"]
    return list(grouped.values())


def working_day_ordinals(first: date, last: date, calendar_of: CalendarOf) -> dict[date, int]:
    """Day -> working days in (first, day]: the difference of two is working_days_between."""
    calendar = calendar_of(range(first.year, last.year + 1))
    ordinals, count, day = {}, 0, first
    while day <= last:
        if day != first and calendar.is_working_day(day):
            count += 1
        ordinals[day] = count
        day += timedelta(days=1)
    return ordinals


def add_clocks(clock_ids: Iterable[int], *, calendar_of: CalendarOf) -> None:
    """Count the clocks just closed (in the closing transaction)."""
    ids = list(clock_ids)
    if not ids:
        return
    for group in _grouped(StageDeadline.objects.filter(pk__in=ids), calendar_of):
        key = {name: group[name] for name in KEY}
        # One row of the key gets the count (a key may have two rows: see ClockTally), in one
        # statement (`… WHERE id IN (SELECT id … LIMIT 1)`), not a read and then a write.
        one = ClockTally.objects.filter(**key).values("pk")[:1]
        changed = ClockTally.objects.filter(pk__in=one).update(count=F("count") + group["count"])
        if not changed:
            ClockTally.objects.create(**key, count=group["count"])


@transaction.atomic
def rebuild_clock_tallies(*, calendar_of: CalendarOf) -> int:
    """Recount every tally from the closed clocks (after a bulk load); returns the rows."""
    # Locked as registry.tallies locks its own: a concurrent closing is counted once.
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(ClockTally._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    ClockTally.objects.all().delete()
    groups = _grouped(StageDeadline.objects.all(), calendar_of)
    ClockTally.objects.bulk_create((ClockTally(**g) for g in groups), batch_size=5000)
    return len(groups)


def clock_tally_differences(*, calendar_of: CalendarOf) -> list[tuple[tuple, int, int]]:
    """Keys whose tally differs from a recount of the clocks: (key, expected, found)."""
    expected = {
        tuple(g[name] for name in KEY): g["count"]
        for g in _grouped(StageDeadline.objects.all(), calendar_of)
    }
    found: dict[tuple, int] = defaultdict(int)
    for row in ClockTally.objects.values(*KEY, "count").iterator():
        found[tuple(row[name] for name in KEY)] += row["count"]
    return [
        (key, expected.get(key, 0), found.get(key, 0))
        for key in sorted(set(expected) | set(found), key=repr)
        if expected.get(key, 0) != found.get(key, 0)
    ]
