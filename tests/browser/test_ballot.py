"""The ballot page in Chromium (ballot-ux): a ballot that leaves someone out is stopped in
the browser with the warning and the "send anyway" box, the choices stay, and after sending
anyway the page says what was received; the secretariat's meeting page counts the ballots
live (htmx polling). Screenshots: docs/screenshots/ballot.png (desk, the partial warning)
and ballot-phone.png (390 px); `look` checks axe-core and sideways scroll on each."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from councils import services as council_services
from councils.models import Council
from organisations.models import Organisation
from tests import factories as f
from tests.browser.conftest import log_in, look

pytestmark = pytest.mark.browser

WHEN = datetime(2026, 11, 20, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
PARTIAL = "Bạn mới chọn 1/3 người; những người chưa chọn sẽ không được tính phiếu."


def open_meeting():
    dossier = f.make_dossier_at_council(Organisation.objects.get(code="th-hop-thanh"))
    council = Council.objects.get(organisation__code="lang-son")
    clerk = f.user("lang-son.vanphong")
    meeting = council_services.create_meeting(
        council.pk,
        by=clerk,
        title="Phiên họp xét khen thưởng cuối năm 2026",
        scheduled_for=WHEN,
        place="Phòng họp số 1, trụ sở Ủy ban nhân dân tỉnh Lạng Sơn",
    )
    council_services.add_to_agenda(meeting.pk, by=clerk, dossier_id=dossier.pk)
    council_services.open_meeting(meeting.pk, by=f.user("lang-son.chutichhd"))
    return dossier, meeting


def test_partial_ballot_is_warned_in_the_browser_and_the_count_goes_live(
    seeded, live_server, desk, phone
):
    dossier, meeting = open_meeting()
    first, second, third = dossier.active_nominees()
    base = live_server.url
    ballot = f"{base}/hoi-dong/phien/{meeting.pk}/bo-phieu/"

    log_in(desk, base, "lang-son.vanphong")
    desk.goto(f"{base}/hoi-dong/phien/{meeting.pk}/")
    figure = desk.locator("[data-progress-figure]")
    before = figure.inner_text()
    assert before.startswith("0/")

    log_in(phone, base, "lang-son.hoidong01")
    phone.goto(ballot)
    phone.check(f"#id_nominee-{first.pk}_0")  # Đồng ý
    assert phone.locator("[data-ballot-count]").inner_text() == "Đã chọn 1/3 người."
    phone.check("#id_confirm")
    phone.click("form[data-ballot] button[type=submit]")
    warning = phone.locator("[data-ballot-partial]")
    assert warning.is_visible()
    assert PARTIAL in warning.inner_text()
    assert phone.url == ballot  # not sent: the browser stopped it
    assert phone.is_checked(f"#id_nominee-{first.pk}_0")
    assert phone.evaluate("document.activeElement.id") == "id_partial"
    look(phone, "ballot-phone")

    phone.check("#id_partial")
    phone.click("form[data-ballot] button[type=submit]")
    phone.wait_for_load_state()
    assert "Đã nhận 1 phiếu." in phone.locator(".messages").inner_text()
    assert phone.locator(f"input[name=nominee-{first.pk}]").count() == 0
    assert phone.locator(f"input[name=nominee-{second.pk}]").count() == 2

    # The secretariat's box counts the ballot without a reload (htmx, every 5 s).
    desk.locator("#ballot-progress", has_text="Phiếu đã nhận: 1/").wait_for(timeout=12_000)
    look(desk, "ballot-meeting")
    # Closing goes through its confirmation page, which names who is missing (a count).
    desk.click(f"a[href='/hoi-dong/phien/{meeting.pk}/ket-thuc/']")
    assert desk.locator("[data-close-warning=not_voted]").is_visible()
    look(desk, "ballot-close")

    # The same warning at a desk, for the screenshot of the page people see.
    log_in(desk, base, "lang-son.hoidong02")
    desk.goto(ballot)
    desk.check(f"#id_nominee-{third.pk}_1")  # Không đồng ý
    desk.check("#id_confirm")
    desk.click("form[data-ballot] button[type=submit]")
    assert desk.locator("[data-ballot-partial]").is_visible()
    look(desk, "ballot")
