"""Stage deadlines: the clock, its reminders and the escalation of late stages.

open_deadline() is called by workflow.services when a stage's clock starts (complete
receipt), and close_deadlines() when it stops (return, forward, withdrawal, council result).
sweep_deadlines() is the periodic, set-based sweep (Celery beat: workflow.sweep_deadlines).

Who is told: reminders go to the officers who receive dossiers at the stage's organisation
(`receive_dossier`, the secretariat); once a stage is overdue it escalates to the heads of
that body, the holders of `sign_decision` and `chair_council` there (domain §4: "the head
of the secretariat"; the demo has no separate secretariat head, so the chair and the signing
authority stand for it), and the secretariat is told as well.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import holidays
from django.db import connection, transaction
from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils import timezone

from notifications import outbox
from organisations.permissions import holders, organisations_where
from organisations.roles import Perm

from . import tallies
from .calendar import (
    ReminderPoint,
    WorkCalendar,
    add_working_days,
    overlay,
    package_calendar,
    reminder_schedule,
    working_days_left,
)
from .models import CalendarEntry, DayKind, Reminder, ReminderRule, StageDeadline

# ---------------------------------------------------------------- calendar from data

_cache: dict[tuple, WorkCalendar] = {}
_cache_lock = threading.Lock()


def years_around(day: date) -> range:
    """Years a count starting on `day` may cross (limits are at most a few months)."""
    return range(day.year - 1, day.year + 3)


def configured_calendar(years: Iterable[int]) -> WorkCalendar:
    """The `holidays` package for `years`, overlaid by the administrator's `CalendarEntry` rows.

    Cached per process and invalidated by any edit of the table (one small query per call:
    the latest change and the row count together).
    """
    years = tuple(sorted(set(years)))
    entries = CalendarEntry.objects.filter(day__year__in=years)
    found = entries.aggregate(last=Max("updated_at"), rows=Count("pk"))
    version = found["last"], found["rows"]  # an edit, an addition or a deletion: a new key
    key = (years, version)
    with _cache_lock:
        found = _cache.get(key)
    if found is not None:
        return found
    days_off, workdays = [], []
    for day, kind in entries.values_list("day", "kind"):
        (workdays if kind == DayKind.WORKING_DAY else days_off).append(day)
    calendar = overlay(package_calendar(years), days_off=days_off, workdays=workdays)
    with _cache_lock:
        if len(_cache) > 64:
            _cache.clear()
        _cache[key] = calendar
    return calendar


def calendar_for(day: date) -> WorkCalendar:
    return configured_calendar(years_around(day))


def calendar_spanning(days: Iterable[date], *, today: date) -> WorkCalendar:
    """One calendar for a page of clocks: every year from the earliest of `days` to
    `today`'s own range (one query for the whole page, not one per row)."""
    earliest = min([today, *days])
    return configured_calendar(range(earliest.year - 1, today.year + 3))


def seed_calendar(years: Iterable[int]) -> int:
    """Copy the package's holidays and làm bù days for `years` into the editable table.

    Leaves existing rows alone (an administrator's edit wins); returns how many it added.
    holidays 0.109 already matches domain §4 for 2026 and 2027 (Tết 2027 04–10/02, nghỉ bù
    03/05/2027, 24/11, 31/08/2026 off for Saturday 22/08/2026), so nothing is patched here.
    """
    years = sorted(set(years))
    data = holidays.country_holidays("VN", years=years, language="vi")
    rows = [
        CalendarEntry(day=day, kind=DayKind.HOLIDAY, name=str(name)[:200], source="package")
        for day, name in sorted(data.items())
    ]
    rows += [
        CalendarEntry(day=day, kind=DayKind.WORKING_DAY, name="Làm bù", source="package")
        for day in sorted(data.weekend_workdays)
        if day.year in years
    ]
    before = CalendarEntry.objects.count()
    CalendarEntry.objects.bulk_create(rows, ignore_conflicts=True)
    return CalendarEntry.objects.count() - before


# ---------------------------------------------------------------- opening and closing


def limit_for(stage) -> int:
    """The stage's limit in working days, from the rules the dossier pinned; the rule
    itself (simplified, hiệp y, plain) is `StageRules.limit_days_for`."""
    return stage.stage_rules.limit_days_for(simplified=stage.dossier.simplified)


# Domain §4: 50 % and 80 % of the limit and the due day, plus the day before; migration
# 0002 writes these as ReminderRule rows for administrators to edit. Used only while the
# table is empty (e.g. a database flushed by tests), never to override an edit.
DEFAULT_REMINDER_POINTS = (
    ReminderPoint("before1", days_before=1),
    ReminderPoint("due", days_before=0),
    ReminderPoint("pct50", percent=50),
    ReminderPoint("pct80", percent=80),
)


def reminder_points() -> list[ReminderPoint]:
    """The active reminder rules; the defaults while no rule exists at all."""
    rules = list(ReminderRule.objects.order_by("kind"))
    if not rules:
        return list(DEFAULT_REMINDER_POINTS)
    return [
        ReminderPoint(kind=r.kind, percent=r.percent, days_before=r.days_before)
        for r in rules
        if r.active
    ]


def open_deadline(stage, *, start: date) -> StageDeadline:
    """Start the stage's clock from `start` (complete receipt) and schedule its reminders.

    Side effects: closes an open clock of the same stage (a new round restarts from zero,
    never resumes), one StageDeadline row, its Reminder rows, and an "overdue" reminder on
    the first working day after the due day, which escalates.
    """
    now = timezone.now()
    StageDeadline.objects.filter(stage=stage, closed_at=None).update(
        closed_at=now, close_reason="reopened"
    )
    limit = limit_for(stage)
    calendar = calendar_for(start)
    due = add_working_days(start, limit, calendar)
    deadline = StageDeadline.objects.create(
        stage=stage,
        dossier_id=stage.dossier_id,
        organisation_id=stage.organisation_id,
        round=stage.dossier.round,
        limit_days=limit,
        started_on=start,
        due_on=due,
    )
    schedule = reminder_schedule(start, limit, reminder_points(), calendar)
    schedule.append((Reminder.OVERDUE, add_working_days(due, 1, calendar)))
    Reminder.objects.bulk_create(
        [Reminder(deadline=deadline, kind=kind, fire_on=day) for kind, day in schedule]
    )
    return deadline


def close_deadlines(dossier, *, reason: str = "") -> int:
    """Stop the dossier's open clocks and cancel their pending reminders; returns how many.

    Called on return for supplement (the clock stops; domain §4), forward, council result
    and withdrawal. Closed rows stay as the history of each round, and are counted in the
    statistics' clock tallies in the same transaction (workflow.tallies).
    """
    now = timezone.now()
    open_ids = list(
        StageDeadline.objects.filter(dossier_id=dossier.pk, closed_at=None).values_list(
            "pk", flat=True
        )
    )
    if not open_ids:
        return 0
    with transaction.atomic():  # the clocks and their tally rows, together or not at all
        Reminder.objects.filter(deadline_id__in=open_ids, sent_at=None, cancelled_at=None).update(
            cancelled_at=now
        )
        closed = StageDeadline.objects.filter(pk__in=open_ids).update(
            closed_at=now, close_reason=reason or str(dossier.status)[:32]
        )
        tallies.add_clocks(open_ids, calendar_of=configured_calendar)
    return closed


# ---------------------------------------------------------------- the sweep


# What each claimed reminder's notice says, in this order (see _claim).
_READ = (
    "pk",
    "fire_on",
    "kind",
    "deadline_id",
    "deadline__due_on",
    "deadline__organisation_id",
    "deadline__organisation__name",
    "deadline__dossier_id",
    "deadline__dossier__reference",
    "deadline__dossier__title",
)


def _claim(today: date, now: datetime, limit: int, after: tuple[date, int] | None) -> list[tuple]:
    """Mark up to `limit` due reminders sent and return them with what their notices say
    (the columns of `_READ`): on PostgreSQL in one statement, elsewhere in two.

    A row's `sent_at IS NULL` is re-checked under its row lock, so a concurrent sweeper
    never claims it twice; on PostgreSQL SKIP LOCKED lets two sweepers split the work
    instead of queueing behind each other. `after` is the last (fire_on, id) this sweep
    claimed: starting past it skips the index entries of rows already claimed (dead
    until vacuum), which made each batch slower than the last.
    """
    table = Reminder._meta.db_table
    postgresql = connection.vendor == "postgresql"
    skip = " FOR UPDATE SKIP LOCKED" if postgresql else ""
    # PostgreSQL: `id = ANY(ARRAY(…))` makes the chosen ids one value, looked up in the
    # primary key; with `id IN (…)` the planner joined them to a scan of every pending
    # reminder (a hash semi-join over 200 000 rows per batch at 100 000 deadlines).
    opening, closing = ("= ANY(ARRAY(", "))") if postgresql else ("IN (", ")")
    cursor_sql, params = "", [connection.ops.adapt_datetimefield_value(now), today]
    if after is not None:
        cursor_sql = "AND (fire_on > %s OR (fire_on = %s AND id > %s)) "
        params += [after[0], after[0], after[1]]
    update = (
        f"UPDATE {table} SET sent_at = %s WHERE id {opening}"  # noqa: S608 - our table name
        f"SELECT id FROM {table} WHERE sent_at IS NULL AND cancelled_at IS NULL "
        f"AND fire_on <= %s {cursor_sql}ORDER BY fire_on, id LIMIT %s{skip}"
        f"{closing} AND sent_at IS NULL"
    )
    with connection.cursor() as cursor:
        if postgresql:
            # The claimed rows joined to their clock, body and dossier in the same
            # statement: no second round trip with 2 000 ids to bind and parse, and the
            # planner, expecting few claimed rows, reads the three by primary key.
            deadline = StageDeadline._meta
            organisation = deadline.get_field("organisation").related_model._meta.db_table
            dossier = deadline.get_field("dossier").related_model._meta.db_table
            cursor.execute(
                f"WITH claimed AS ({update} RETURNING id, fire_on, kind, deadline_id) "  # noqa: S608
                "SELECT c.id, c.fire_on, c.kind, c.deadline_id, d.due_on, d.organisation_id, "
                f"o.name, d.dossier_id, x.reference, x.title FROM claimed c "
                f"JOIN {deadline.db_table} d ON d.id = c.deadline_id "
                f"JOIN {organisation} o ON o.id = d.organisation_id "
                f"JOIN {dossier} x ON x.id = d.dossier_id",
                [*params, limit],
            )
            return cursor.fetchall()
        cursor.execute(f"{update} RETURNING id", [*params, limit])
        ids = [row[0] for row in cursor.fetchall()]
    return list(Reminder.objects.filter(pk__in=ids).order_by().values_list(*_READ))


_TOLD = (Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION, Perm.CHAIR_COUNCIL)


class _Recipients:
    """Who hears about each organisation's deadlines: its officers (`receive_dossier`), and
    for an overdue stage its heads too; read for a batch's new organisations in one query
    (organisations.permissions.holders), kept for the rest of the sweep."""

    def __init__(self) -> None:
        self._officers: dict[int, list[int]] = {}
        self._escalated: dict[int, list[int]] = {}

    def load(self, org_ids: Iterable[int]) -> None:
        new = set(org_ids) - self._officers.keys()
        if not new:
            return
        held = holders(_TOLD, new)
        for org in new:
            officers = held.get((org, Perm.RECEIVE_DOSSIER), set())
            heads = held.get((org, Perm.SIGN_DECISION), set()) | held.get(
                (org, Perm.CHAIR_COUNCIL), set()
            )
            self._officers[org] = sorted(officers)
            self._escalated[org] = sorted(officers | heads)

    def officers(self, org_id: int) -> list[int]:
        return self._officers[org_id]

    def escalated(self, org_id: int) -> list[int]:
        """The officers and the heads of the body (an overdue stage)."""
        return self._escalated[org_id]


# A dossier id no page has, reversed once per sweep: its digits are replaced by each row's
# (reverse() per row was a third of the sweep's time at 100 000 reminders).
_MARK = 918_273_645_546_372


def _detail_url():
    before, after = reverse("dossiers:detail", args=[_MARK]).split(str(_MARK))
    return lambda pk: f"{before}{pk}{after}"


SWEEP_BATCH = 5000  # reminders a transaction (docs/performance.md: 21 s at 2 000, 12.8 s at 5 000)


def sweep_deadlines(*, today: date | None = None, batch_size: int = SWEEP_BATCH) -> int:
    """Send every reminder due by `today` exactly once, in batches; returns how many it sent.

    Each batch is one transaction: claim (UPDATE … RETURNING) and read the claimed rows
    with their dossier (one statement on PostgreSQL), their recipients for organisations
    not seen yet in this sweep (one query), write the outbox rows in one INSERT, mark
    escalations.
    A repeated or concurrent sweep finds nothing left to claim.
    """
    today = today or timezone.localdate()
    recipients = _Recipients()
    url = _detail_url()
    sent, after = 0, None
    while True:
        with transaction.atomic():
            now = timezone.now()
            rows = _claim(today, now, batch_size, after)
            if not rows:
                return sent
            after = max((row[1], row[0]) for row in rows)
            recipients.load({row[5] for row in rows})
            items, escalated = [], []
            for pk, _day, kind, deadline_id, due_on, org, stage, dossier_id, ref, title in rows:
                overdue = kind == Reminder.OVERDUE
                if overdue:
                    escalated.append(deadline_id)
                    users = recipients.escalated(org)
                else:
                    users = recipients.officers(org)
                context = {
                    "dossier_id": dossier_id,
                    "reference": ref,
                    "title": title,
                    "stage": stage,
                    "due_on": due_on.strftime("%d/%m/%Y"),
                    "kind": kind,
                    "url": url(dossier_id),
                }
                template = "deadline_overdue" if overdue else "deadline_reminder"
                items += [(uid, template, context, f"reminder:{pk}") for uid in users]
            outbox.enqueue_many(items)
            if escalated:
                StageDeadline.objects.filter(pk__in=escalated).update(escalated_at=now)
            sent += len(rows)


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class DeadlineStatus:
    due_on: date
    days_left: int  # negative: working days overdue
    closed: bool

    @property
    def overdue(self) -> bool:
        return not self.closed and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left < 0 else 0


def status_of(
    deadline: StageDeadline, *, today: date | None = None, calendar: WorkCalendar | None = None
) -> DeadlineStatus:
    """Due day and working days left (negative: overdue) of one clock, as of `today`."""
    today = today or timezone.localdate()
    calendar = calendar or calendar_for(min(today, deadline.due_on))
    left = working_days_left(deadline.due_on, today, calendar)
    return DeadlineStatus(due_on=deadline.due_on, days_left=left, closed=not deadline.is_open)


def open_deadline_of(dossier) -> StageDeadline | None:
    """The dossier's running clock, if any."""
    return (
        StageDeadline.objects.filter(dossier_id=getattr(dossier, "pk", dossier), closed_at=None)
        .order_by("-opened_at", "-pk")
        .first()
    )


def attach_open_deadlines(dossiers) -> None:
    """Set `open_deadline` on each dossier of a page (one query), for the deadline tag."""
    dossiers = list(dossiers)
    found: dict[int, StageDeadline] = {}
    rows = StageDeadline.objects.filter(
        dossier_id__in=[d.pk for d in dossiers], closed_at=None
    ).order_by("opened_at", "pk")
    for row in rows:
        found[row.dossier_id] = row  # the newest open clock wins
    for dossier in dossiers:
        dossier.open_deadline = found.get(dossier.pk)


def overdue_deadlines(*, today: date | None = None) -> QuerySet[StageDeadline]:
    """Open clocks whose due day has passed, oldest due first."""
    today = today or timezone.localdate()
    return (
        StageDeadline.objects.filter(closed_at=None, due_on__lt=today)
        .select_related("dossier", "organisation", "stage")
        .order_by("due_on", "pk")
    )


def overdue_deadlines_for(user, *, today: date | None = None) -> QuerySet[StageDeadline]:
    """The overdue clocks of bodies where `user` receives dossiers or heads the body."""
    orgs = organisations_where(user, Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION, Perm.CHAIR_COUNCIL)
    return overdue_deadlines(today=today).filter(organisation__in=orgs)
