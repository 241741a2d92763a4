"""Issue 12: reminder points and calendar days as choices, with clear refusals."""

import pytest
from django.urls import reverse

from workflow.models import CalendarEntry, ReminderRule

pytestmark = pytest.mark.django_db


def test_a_reminder_point_is_a_choice_and_one_number(as_operator):
    response = as_operator.post(
        reverse("admin:workflow_reminderrule_add"),
        {
            "kind": "pct60",
            "label": "60 % thời hạn",
            "measure": "percent",
            "amount": "60",
            "active": "on",
        },
    )
    assert response.status_code == 302
    rule = ReminderRule.objects.get(kind="pct60")
    assert (rule.percent, rule.days_before) == (60, None)


def test_switching_a_reminder_to_days_before_clears_the_percent(as_operator):
    rule = ReminderRule.objects.create(kind="pct50x", label="50 %", percent=50)
    url = reverse("admin:workflow_reminderrule_change", args=[rule.pk])
    response = as_operator.post(
        url,
        {
            "kind": "pct50x",
            "label": "2 ngày trước hạn",
            "measure": "days_before",
            "amount": "2",
            "active": "on",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.percent, rule.days_before) == (None, 2)


def test_a_percent_above_100_is_refused_naming_the_field(as_operator):
    response = as_operator.post(
        reverse("admin:workflow_reminderrule_add"),
        {"kind": "pct150", "label": "x", "measure": "percent", "amount": "150"},
    )
    assert response.status_code == 200
    assert "tỷ lệ của thời hạn phải từ 1 đến 100 (%); đã nhập 150" in response.content.decode()
    assert not ReminderRule.objects.filter(kind="pct150").exists()


def test_a_weekday_working_day_needs_its_reason(as_operator):
    response = as_operator.post(
        reverse("admin:workflow_calendarentry_add"),
        {"day": "02/09/2026", "kind": "working_day", "name": "", "source": "admin"},
    )
    assert response.status_code == 200
    assert "ngày 02/09/2026 là ngày thường" in response.content.decode()
    assert not CalendarEntry.objects.exists()


def test_an_administrator_reads_the_calendar_but_cannot_add_to_it(client, demo, user_of):
    client.force_login(user_of("lang-son", "quantri"))
    response = client.post(
        reverse("admin:workflow_calendarentry_add"),
        {"day": "10/12/2026", "kind": "holiday", "name": "x", "source": "admin"},
    )
    assert response.status_code == 403
    assert not CalendarEntry.objects.exists()
