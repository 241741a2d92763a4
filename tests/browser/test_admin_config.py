"""The award form's change page in the admin (issue 12, configuration without JSON)."""

import pytest
from django.contrib.auth import get_user_model

from dossiers.models import AwardType
from tests.browser.conftest import look

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
