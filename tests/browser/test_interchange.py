"""The import and webhook pages in Chromium on the seeded demo: a dry run of past awards on a
phone (390 px) and the webhook register/detail pages pass axe-core and do not scroll
sideways. Screenshots: docs/screenshots/import-awards-dry-run-phone.png,
webhook-endpoint-phone.png."""

import pytest

from tests.browser.conftest import look
from tests.browser.test_dashboards import log_in
from tests.interchange.test_award_import import row, xlsx

pytestmark = pytest.mark.browser


def test_a_dry_run_of_past_awards_on_a_phone(seeded, live_server, phone, tmp_path):
    log_in(phone, live_server.url, "hop-thanh.vanphong")
    phone.goto(f"{live_server.url}/tich-hop/nhap-khen-thuong/")
    look(phone)
    good = tmp_path / "khen-thuong.xlsx"
    good.write_bytes(
        xlsx(
            [
                row(**{"Mã cơ quan ban hành": "cao-loc"}),
                row(**{"Họ và tên / tên tập thể": "Hoàng Thị Thu", "Năm sinh": 1990}),
            ]
        )
    )
    phone.set_input_files("#id_file", str(good))
    phone.locator("button[value=check]").click()
    phone.wait_for_load_state()
    assert "Chạy thử: sẽ nhập 2 khen thưởng" in phone.locator("main").inner_text()
    assert "hết hiệu lực sau 30/06/2025" in phone.locator("main").inner_text()
    look(phone, "import-awards-dry-run-phone")
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(xlsx([row(**{"Mã đơn vị": "khong-co", "Năm": "20x3"})]))
    phone.set_input_files("#id_file", str(bad))
    phone.locator("button[value=import]").click()
    phone.wait_for_load_state()
    errors = phone.locator(".error-summary").inner_text()
    assert "Dòng 2, cột Mã đơn vị" in errors
    assert "Dòng 2, cột Năm" in errors
    look(phone, "import-awards-errors-phone")


def test_registering_a_webhook_on_a_phone(seeded, live_server, phone, settings):
    settings.KHENTHUONG_WEBHOOKS_ALLOW_LOCAL = True
    log_in(phone, live_server.url, "hop-thanh.vanphong")
    phone.goto(f"{live_server.url}/tich-hop/webhook/them/")
    look(phone)
    phone.fill("#id_url", "https://cong-dich-vu.langson.gov.vn/khenthuong/webhook/nhan-su-kien")
    phone.select_option("#id_organisation", label="Xã Hợp Thành")
    phone.locator("input[name=events]").first.check()
    phone.locator("main button[type=submit]").click()
    phone.wait_for_load_state()
    assert "Khóa bí mật" in phone.locator("main").inner_text()
    look(phone, "webhook-endpoint-phone")
