"""Working-day arithmetic on the Vietnamese calendar (domain §4, §9.4, §9.5). No database."""

from datetime import date

import holidays
import pytest

from workflow.calendar import (
    CalendarOutOfRange,
    ReminderPoint,
    WorkCalendar,
    add_working_days,
    overlay,
    package_calendar,
    reminder_schedule,
    working_days_between,
    working_days_left,
)

VN_2027 = package_calendar([2026, 2027, 2028])


def test_resubmitted_dossier_is_due_thursday_13_may_2027_counting_from_the_resubmission():
    # §9.4: skips Giỗ Tổ (Fri 16/04), 30/04 and the nghỉ bù Monday 03/05 for Saturday 01/05.
    assert add_working_days(date(2027, 4, 12), 20, VN_2027) == date(2027, 5, 13)
    # Counting from the first, incomplete receipt would wrongly give an earlier date.
    assert add_working_days(date(2027, 4, 5), 20, VN_2027) < date(2027, 5, 13)


def test_twenty_days_over_tet_2027_end_monday_1_march():
    # §9.5: the Tết block 04–10/02/2027 is skipped.
    assert add_working_days(date(2027, 1, 25), 20, VN_2027) == date(2027, 3, 1)
    without_tet = overlay(VN_2027, workdays=[date(2027, 2, d) for d in (4, 5, 8, 9, 10)])
    assert add_working_days(date(2027, 1, 25), 20, without_tet) == date(2027, 2, 22)


def test_30_april_and_1_may_2027_with_the_substitute_monday():
    # Fri 30/04 and Sat 01/05 are holidays; Mon 03/05 is the nghỉ bù: next working day Tue 04/05.
    assert add_working_days(date(2027, 4, 29), 1, VN_2027) == date(2027, 5, 4)
    assert not VN_2027.is_working_day(date(2027, 5, 3))
    assert VN_2027.is_working_day(date(2027, 5, 4))


def test_2026_national_day_swap_makes_saturday_22_august_a_working_day():
    vn_2026 = package_calendar([2026])
    assert vn_2026.is_working_day(date(2026, 8, 22))  # làm bù Saturday
    assert not vn_2026.is_working_day(date(2026, 8, 31))  # its day off
    # Friday 21/08 + 1 lands on the Saturday, not on Monday 24/08.
    assert add_working_days(date(2026, 8, 21), 1, vn_2026) == date(2026, 8, 22)


def test_an_administrator_added_working_saturday_counts():
    saturday = date(2027, 6, 12)
    assert add_working_days(date(2027, 6, 11), 1, VN_2027) == date(2027, 6, 14)
    with_saturday = overlay(VN_2027, workdays=[saturday])
    assert add_working_days(date(2027, 6, 11), 1, with_saturday) == saturday


def test_a_holiday_added_to_the_data_pushes_the_due_date():
    new_holiday = date(2027, 5, 6)  # a Thursday inside the §9.4 count
    with_holiday = overlay(VN_2027, days_off=[new_holiday])
    assert add_working_days(date(2027, 4, 12), 20, with_holiday) == date(2027, 5, 14)


def test_a_holiday_in_the_package_data_itself_is_picked_up(monkeypatch):
    real = holidays.country_holidays

    def with_extra(country, years):
        data = real(country, years=years)
        data[date(2027, 5, 6)] = "Ngày nghỉ mới"
        return data

    monkeypatch.setattr(holidays, "country_holidays", with_extra)
    fresh = package_calendar([2027])
    assert add_working_days(date(2027, 4, 12), 20, fresh) == date(2027, 5, 14)


def test_counting_starts_the_day_after_receipt_even_on_a_weekend():
    # Saturday receipt: day 1 is Monday.
    assert add_working_days(date(2027, 6, 12), 1, VN_2027) == date(2027, 6, 14)
    assert add_working_days(date(2027, 6, 14), 0, VN_2027) == date(2027, 6, 14)


def test_days_left_and_overdue():
    due = date(2027, 5, 13)
    assert working_days_left(due, date(2027, 5, 10), VN_2027) == 3
    assert working_days_left(due, due, VN_2027) == 0
    assert working_days_left(due, date(2027, 5, 17), VN_2027) == -2  # Fri 14, Mon 17
    assert working_days_between(date(2027, 4, 12), due, VN_2027) == 20


def test_a_count_outside_the_calendar_years_fails_loudly():
    with pytest.raises(CalendarOutOfRange):
        add_working_days(date(2027, 12, 20), 20, package_calendar([2027]))


def test_plain_calendar_without_years_is_weekdays_only():
    assert add_working_days(date(2027, 2, 3), 2, WorkCalendar()) == date(2027, 2, 5)


def test_reminders_at_half_and_eighty_percent_and_due_day_skip_tet():
    points = [
        ReminderPoint("pct50", percent=50),
        ReminderPoint("pct80", percent=80),
        ReminderPoint("before3", days_before=3),
        ReminderPoint("before1", days_before=1),
        ReminderPoint("due", days_before=0),
    ]
    schedule = reminder_schedule(date(2027, 1, 25), 20, points, VN_2027)
    assert schedule == [
        ("pct50", add_working_days(date(2027, 1, 25), 10, VN_2027)),
        ("pct80", date(2027, 2, 23)),  # 16th working day, Tết skipped
        ("before3", date(2027, 2, 24)),
        ("before1", date(2027, 2, 26)),
        ("due", date(2027, 3, 1)),
    ]
    assert all(VN_2027.is_working_day(day) for _, day in schedule)


def test_reminders_falling_on_the_same_day_are_sent_once():
    points = [ReminderPoint("pct80", percent=80), ReminderPoint("before1", days_before=1)]
    # Limit 5: 80 % is the 4th day, as is "1 day before".
    schedule = reminder_schedule(date(2027, 6, 14), 5, points, VN_2027)
    assert [kind for kind, _ in schedule] == ["pct80"]
