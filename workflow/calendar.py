"""Vietnamese working days: the one place that counts them. Pure: no ORM, no clock.

Domain §4 "Counting working days": day 1 is the working day *after* complete receipt and the
N-th working day is the due date. Working days are Monday–Friday, minus public holidays and
nghỉ bù days, plus any làm bù Saturday. Callers pass a `WorkCalendar`; the configured one
(the `holidays` package overlaid by the administrator's table) comes from
`workflow.deadlines.configured_calendar`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays

SATURDAY = 5

# A deadline a few hundred working days out still ends inside this window; walking past it
# means the calendar was built for the wrong years, which must fail loudly, not silently
# count every later Tết as a working day.
_MAX_STEPS = 3 * 366


@dataclass(frozen=True)
class WorkCalendar:
    """Days off and extra working days over `years` (every year a count may cross)."""

    days_off: frozenset[date] = frozenset()  # holidays, the Tết block, nghỉ bù
    extra_workdays: frozenset[date] = frozenset()  # làm bù Saturdays (or Sundays)
    years: frozenset[int] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.weekday() < SATURDAY and day not in self.days_off

    def covers(self, day: date) -> bool:
        return not self.years or day.year in self.years


class CalendarOutOfRange(ValueError):
    """A count walked outside the years the calendar was built for."""


def package_calendar(years: Iterable[int]) -> WorkCalendar:
    """The `holidays` package's view of Vietnam for `years` (pass every year spanned).

    holidays 0.109 already lists the observed days (nghỉ bù, e.g. Monday 03/05/2027) and the
    Government's swaps (31/08/2026 off, worked on Saturday 22/08/2026 via weekend_workdays).
    """
    years = frozenset(years)
    data = holidays.country_holidays("VN", years=sorted(years))
    return WorkCalendar(
        days_off=frozenset(data.keys()),
        extra_workdays=frozenset(d for d in data.weekend_workdays if d.year in years),
        years=years,
    )


def overlay(
    base: WorkCalendar, *, days_off: Iterable[date] = (), workdays: Iterable[date] = ()
) -> WorkCalendar:
    """`base` with the administrator's entries winning over it, day by day."""
    days_off, workdays = frozenset(days_off), frozenset(workdays)
    return WorkCalendar(
        days_off=(base.days_off - workdays) | days_off,
        extra_workdays=(base.extra_workdays - days_off)
        | {d for d in workdays if d.weekday() >= SATURDAY},
        years=base.years,
    )


def add_working_days(start: date, n: int, calendar: WorkCalendar) -> date:
    """The n-th working day after `start`; `start` itself never counts.

    `start` is the day of complete receipt (a Saturday receipt counts from Monday, as the
    domain's default §10.8 asks). 12/04/2027 + 20 → Thursday 13/05/2027 (domain §9.4).
    n = 0 returns `start`.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    day, counted = start, 0
    for _ in range(_MAX_STEPS):
        if counted == n:
            return day
        day += timedelta(days=1)
        if not calendar.covers(day):
            years = sorted(calendar.years)
            raise CalendarOutOfRange(f"{day} is outside the calendar's years {years}")
        if calendar.is_working_day(day):
            counted += 1
    raise CalendarOutOfRange(f"{n} working days after {start} do not fit the calendar")


def working_days_between(start: date, end: date, calendar: WorkCalendar) -> int:
    """Working days in (start, end]: how many of a limit `end` uses up; negative if end < start."""
    if end < start:
        return -working_days_between(end, start, calendar)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def working_days_left(due: date, today: date, calendar: WorkCalendar) -> int:
    """Working days still left before `due` (0 on the due day); negative once overdue.

    -2 means two working days have passed since the due day: "quá hạn 2 ngày".
    """
    return working_days_between(today, due, calendar)


def nth_of_limit(limit: int, share: float) -> int:
    """The ⌈N·p⌉-th working day of an N-day limit (domain §4, reminders at 50 % and 80 %)."""
    # Round the product to whole hundredths first so 20 × 0.8 stays 16, not ⌈16.000000000000004⌉.
    return max(1, math.ceil(round(limit * share, 6)))


@dataclass(frozen=True)
class ReminderPoint:
    """When to remind: `percent` of the limit, or `days_before` the due day (0: the due day)."""

    kind: str
    percent: int | None = None
    days_before: int | None = None


def reminder_schedule(
    start: date, limit: int, points: Iterable[ReminderPoint], calendar: WorkCalendar
) -> list[tuple[str, date]]:
    """(kind, day) of each reminder of a deadline, in day order, one per day.

    Two rules landing on the same day send one reminder (the first listed kind), and a
    point that falls on or before `start` (a 3-day limit has no "3 days before") is skipped.
    """
    by_day: dict[date, str] = {}
    for point in points:
        if point.percent is not None:
            nth = nth_of_limit(limit, point.percent / 100)
        else:
            nth = limit - (point.days_before or 0)
        if nth < 1 or nth > limit:
            continue
        by_day.setdefault(add_working_days(start, nth, calendar), point.kind)
    return sorted(((kind, day) for day, kind in by_day.items()), key=lambda item: item[1])
