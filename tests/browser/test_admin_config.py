"""The admin in Chromium (issue 12, configuration without JSON): the award form's change page
passes axe at desk and phone width, a seeded award type saves as it comes, and a holiday typed
the Vietnamese way (10/12/2026) is stored as 10 December."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict

from dossiers.models import AwardType
from tests.browser.conftest import look
from workflow.models import CalendarEntry, DayKind

pytestmark = pytest.mark.browser
PASSWORD = "Van-hanh-nen-tang-2027"


def admin_log_in(page, base: str) -> None:
    get_user_model().objects.create_superuser("nen-tang.vanhanh", password=PASSWORD)
    page.goto(f"{base}/quan-tri/login/")
    page.fill("input[name=username]", "nen-tang.vanhanh")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def test_the_award_type_change_form_passes_axe(seeded, live_server, desk):
    award = AwardType.objects.get(rule_set__code="rs-2025", code="cstd-tinh")
    admin_log_in(desk, live_server.url)
    desk.goto(f"{live_server.url}/quan-tri/dossiers/awardtype/{award.pk}/change/")
    assert desk.locator("#id_consecutive_years").input_value() == "3"
    look(desk, "admin-award-type")


def test_the_award_type_change_form_on_a_phone(seeded, live_server, phone):
    award = AwardType.objects.get(rule_set__code="rs-2025", code="cstdcs")
    admin_log_in(phone, live_server.url)
    phone.goto(f"{live_server.url}/quan-tri/dossiers/awardtype/{award.pk}/change/")
    assert phone.locator("#id_same_year input[value=ldtt]").is_checked()
    look(phone, "admin-award-type-phone")


def test_the_admin_saves_a_seeded_award_type_unchanged(seeded, live_server, desk):
    # Seeded rows used to fail the admin's own validation (the unit stage's `[]`): saving one
    # as it comes must succeed and keep its rules.
    award = AwardType.objects.get(rule_set__code="rs-2025", code="cstdcs")
    admin_log_in(desk, live_server.url)
    desk.goto(f"{live_server.url}/quan-tri/dossiers/awardtype/{award.pk}/change/")
    desk.click("input[name=_save]")
    desk.wait_for_load_state()
    assert desk.locator(".errornote").count() == 0
    assert desk.url.endswith("/quan-tri/dossiers/awardtype/")
    assert "thành công" in desk.locator(".messagelist").inner_text()
    assert model_to_dict(AwardType.objects.get(pk=award.pk)) == model_to_dict(award)


def test_a_holiday_typed_10_12_2026_is_stored_as_10_december(seeded, live_server, desk):
    admin_log_in(desk, live_server.url)
    desk.goto(f"{live_server.url}/quan-tri/workflow/calendarentry/add/")
    desk.fill("#id_day", "10/12/2026")
    desk.select_option("#id_kind", DayKind.HOLIDAY)
    desk.fill("#id_name", "Nghỉ bù theo quyết định của Ủy ban nhân dân tỉnh")
    look(desk, "admin-holiday")
    desk.click("input[name=_save]")
    desk.wait_for_load_state()
    assert desk.locator(".errornote").count() == 0
    entry = CalendarEntry.objects.get(name="Nghỉ bù theo quyết định của Ủy ban nhân dân tỉnh")
    assert entry.day == date(2026, 12, 10)
    assert entry.kind == DayKind.HOLIDAY
