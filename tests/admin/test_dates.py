"""Issue 12, dd/mm/yyyy everywhere: "10/12/2026" is 10 December, in the admin and on pages."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from dossiers.forms import ActionForm
from workflow.models import CalendarEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_admin_stores_a_holiday_typed_day_first(as_operator, language):
    as_operator.cookies["django_language"] = language
    url = reverse("admin:workflow_calendarentry_add")

    response = as_operator.post(
        url,
        {"day": "10/12/2026", "kind": "holiday", "name": "Ngày lễ thử", "source": "admin"},
    )

    assert response.status_code == 302, response.context and response.context.get("errors")
    assert CalendarEntry.objects.get().day == date(2026, 12, 10)


def test_the_admin_shows_a_stored_day_as_it_is_typed(as_operator):
    entry = CalendarEntry.objects.create(day=date(2026, 12, 10), kind="holiday", name="x")
    html = as_operator.get(
        reverse("admin:workflow_calendarentry_change", args=[entry.pk])
    ).content.decode()
    assert 'value="10/12/2026"' in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_project_form_reads_12_04_2027_as_12_april(language):
    with translation.override(language):
        form = ActionForm(data={"received_on": "12/04/2027"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["received_on"] == date(2027, 4, 12)


def test_the_date_picker_of_a_project_form_still_gets_an_iso_value():
    # <input type="date"> takes only yyyy-mm-dd; day first would blank it in the browser.
    html = ActionForm(initial={"received_on": date(2027, 4, 12)})["received_on"].as_widget()
    assert 'value="2027-04-12"' in html


def test_month_first_is_not_accepted_silently():
    form = ActionForm(data={"received_on": "04/31/2027"})  # no 31st month: refused, not swapped
    assert not form.is_valid()
