"""The campaign and cluster pages in Chromium, on the demo province as `make run` seeds it
(campaigns.demo): at desk (1280) and phone (390) width axe-core finds no serious or critical
problem and nothing scrolls sideways. Screenshots: docs/screenshots/campaign.png,
campaign-phone.png, cluster.png, cluster-phone.png."""

import pytest

from campaigns.demo import CAMPAIGN_NAME, CLUSTER_CODE
from campaigns.models import Cluster
from dossiers.models import Campaign
from tests.browser.conftest import log_in, look

pytestmark = pytest.mark.browser


def test_the_campaign_and_cluster_pages_at_desk_and_phone(seeded, live_server, desk, phone):
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    cluster = Cluster.objects.get(body__code=CLUSTER_CODE)
    for page in (desk, phone):
        log_in(page, live_server.url, "hop-thanh.thiduakhenthuong")
        page.goto(f"{live_server.url}/phong-trao/")
        page.get_by_role("link", name=CAMPAIGN_NAME).click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == CAMPAIGN_NAME
        growth = page.locator("table", has_text="Tốc độ tăng trưởng kinh tế")
        assert "1/2 đơn vị đạt" in growth.locator("caption").inner_text()
        assert growth.locator("tr", has_text="Xã Hợp Thành").locator(".tag").inner_text() == (
            "Đạt chỉ tiêu"
        )
        assert page.get_by_text("Hoàng Thị Mai").is_visible()
    look(desk, "campaign")
    look(phone, "campaign-phone")

    for page, shot in ((desk, "cluster"), (phone, "cluster-phone")):
        page.goto(f"{live_server.url}/cum-thi-dua/{cluster.pk}/")
        ranking = page.locator("table", has_text="Tự chấm")
        first = ranking.locator("tbody tr").first
        assert first.locator("td").nth(1).inner_text().startswith("Sở Y tế")
        assert "tiêu chí có trọng số lớn nhất" in first.inner_text()
        assert page.get_by_text("Biên bản số 01/BB-HĐTĐKT").is_visible()
        # Every column of the criteria and the ranking is in view, none cut at the right
        # edge of a box that scrolls (at phone width each row is a card of labelled lines).
        for table in (ranking, page.locator("table", has_text="Minh chứng cần có")):
            box = table.locator("xpath=..")
            assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), shot
            last = table.locator("tbody tr").first.locator("td").last
            assert (
                last.bounding_box()["x"] + last.bounding_box()["width"]
                <= page.viewport_size["width"]
            ), shot
        look(page, shot)

    # The report form: a word where a number belongs comes back named, with no 500.
    desk.goto(f"{live_server.url}/phong-trao/{campaign.pk}/bao-cao/")
    desk.get_by_label("Tốc độ tăng trưởng kinh tế (%)").fill("tám")
    desk.locator("form.stack button[type=submit]").click()
    desk.wait_for_load_state()
    assert "phải là một số" in desk.locator(".error-summary").inner_text()
    look(desk)
