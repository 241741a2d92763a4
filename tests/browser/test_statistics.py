"""The statistics page and a role guide in Chromium, on the demo province as `make run` seeds
it (a year of decided awards, reports.demo): at desk (1280) and phone (390) width axe-core
finds no serious or critical problem and nothing scrolls sideways. Screenshots:
docs/screenshots/statistics.png, statistics-phone.png, guide-proposer.png, guide-print.png."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.browser.conftest import look
from tests.browser.test_dashboards import log_in

pytestmark = pytest.mark.browser


def test_the_statistics_page_at_desk_and_phone(seeded, live_server, desk, phone):
    for page in (desk, phone):
        log_in(page, live_server.url, "lang-son.vanphong")
        page.goto(f"{live_server.url}/thong-ke/")
        assert page.locator("h1").inner_text() == "Thống kê thi đua, khen thưởng"
        # Real figures from the seeded year, the chart with its name, the stage table.
        total = page.locator(".summary-list__row", has_text="Tổng số khen thưởng")
        assert int(total.locator("dd").inner_text()) > 100
        assert page.locator("svg[role=img] title").first.text_content()
        assert page.locator("#by-stage + svg, #by-stage ~ table").count() >= 1
    look(desk, "statistics")
    look(phone, "statistics-phone")

    # A filter that names a wrong field: the error summary links to it, nothing breaks.
    desk.fill("#id_year", "")
    desk.fill("#id_date_from", "31/12/2026")
    desk.fill("#id_date_to", "01/01/2026")
    desk.locator("form.filters button[type=submit]").click()
    desk.wait_for_load_state()
    summary = desk.locator(".error-summary")
    assert "Đến ngày" in summary.inner_text()
    look(desk)


def test_a_role_guide_reads_on_screen_and_prints_on_one_page(seeded, live_server, desk, phone):
    log_in(desk, live_server.url, "th-hop-thanh.thiduakhenthuong")
    desk.goto(f"{live_server.url}/huong-dan/proposer/")
    assert "Hướng dẫn cho" in desk.locator("h1").inner_text()
    look(desk, "guide-proposer")
    log_in(phone, live_server.url, "th-hop-thanh.thiduakhenthuong")
    phone.goto(f"{live_server.url}/huong-dan/proposer/")
    look(phone)
    # Printed: the site's header and menu are gone, and the guide fits one A4 page.
    desk.emulate_media(media="print")
    assert not desk.locator(".site-header").is_visible()
    pdf = PdfReader(BytesIO(desk.pdf(format="A4", print_background=False)))
    assert len(pdf.pages) == 1
    desk.screenshot(path="docs/screenshots/guide-print.png", full_page=True)
