"""The nominees table in Chromium: rows added and removed without a page load (htmx), the
template imported, every page accessible (axe) and without sideways scroll at 390 px.

Screenshots: docs/screenshots/nominees.png (desk) and nominees-phone.png (phone).
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from dossiers.models import Dossier
from tests import factories as f
from tests.browser.conftest import look
from tests.dossiers.test_nominee_import import COLLECTIVE, filled, individual

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROPOSER = "th-hop-thanh.thiduakhenthuong"
# Functions, not strings: the Content-Security-Policy refuses eval, Playwright's string form.
ROWS_ARE = "n => document.querySelectorAll('#nominee-rows fieldset').length === n"


@pytest.fixture
def seeded(transactional_db):
    call_command("seed_demo", "--quiet", "--force", verbosity=0)


def sign_in(page, base: str, username: str) -> None:
    """A session from Django's test client (the demo accounts must change their published
    password at a password log-in, which this test is not about)."""
    client = Client()
    client.force_login(f.user(username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def test_rows_are_added_removed_and_imported_without_reloading(
    seeded, live_server, desk, phone, tmp_path
):
    base = live_server.url
    dossier = Dossier.objects.filter(proposer__code="th-hop-thanh", status="draft").first()
    before = dossier.nominees.count()
    sign_in(desk, base, PROPOSER)
    desk.goto(f"{base}/ho-so/{dossier.pk}/sua/")
    desk.evaluate("window.__samePage = true")  # gone if anything reloads the page
    rows = desk.locator("#nominee-rows fieldset.nominee-row")
    start = rows.count()

    desk.get_by_role("button", name="Thêm 5 dòng").click()
    desk.wait_for_function(ROWS_ARE, arg=start + 5)
    total = desk.locator("#id_n-TOTAL_FORMS").input_value()
    assert int(total) == start + 5
    focused = desk.evaluate("document.activeElement.name")
    assert focused == f"n-{start}-kind"  # the first box of the first new row

    last = rows.nth(start + 4)
    last.get_by_role("button", name="Bỏ dòng này").click()
    desk.wait_for_function(ROWS_ARE, arg=start + 4)
    assert desk.get_by_text(f"Đã bỏ dòng {start + 5}.").is_visible()
    assert desk.evaluate("window.__samePage") is True

    new = rows.nth(start)
    new.get_by_label("Đối tượng").select_option(label="Cá nhân")
    new.get_by_label("Họ và tên / tên tập thể").fill("Nông Thị Hạnh")
    new.get_by_label("Năm sinh").fill("1930")  # implausible: the save is refused
    new.get_by_label("Tóm tắt thành tích").fill("Giáo viên dạy giỏi cấp huyện.")
    desk.get_by_role("button", name="Lưu hồ sơ").click()
    desk.wait_for_load_state()
    summary = desk.locator("[data-error-summary]")
    assert summary.is_visible()
    assert desk.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    summary.get_by_role("link", name=f"Dòng {start + 1} – Năm sinh").click()
    assert desk.evaluate("document.activeElement.name") == f"n-{start}-birth_year"
    look(desk)
    assert dossier.nominees.count() == before

    desk.get_by_label("Năm sinh").nth(start).fill("1986")
    desk.get_by_role("button", name="Lưu hồ sơ").click()
    desk.wait_for_load_state()
    assert dossier.nominees.count() == before + 1

    desk.get_by_role("link", name="Nhập danh sách từ tệp Excel (.xlsx)").click()
    look(desk)
    sheet = tmp_path / "danh-sach.xlsx"
    sheet.write_bytes(
        filled(COLLECTIVE, individual("Lục Văn Minh"), individual("Chu Thị Nga", identity="0201"))
    )
    desk.get_by_label("Tệp danh sách (.xlsx, theo mẫu)").set_input_files(str(sheet))
    desk.get_by_role("button", name="Nhập danh sách").click()
    desk.wait_for_load_state()
    assert desk.get_by_text("Dòng 4, cột Số định danh", exact=False).is_visible()
    look(desk)
    assert dossier.nominees.count() == before + 1
    sheet.write_bytes(filled(COLLECTIVE, individual("Lục Văn Minh"), individual("Chu Thị Nga")))
    desk.get_by_label("Tệp danh sách (.xlsx, theo mẫu)").set_input_files(str(sheet))
    desk.get_by_role("button", name="Nhập danh sách").click()
    desk.wait_for_load_state()
    assert desk.get_by_text("Đã nhập 3 người được đề nghị").is_visible()
    assert dossier.nominees.count() == before + 4
    look(desk, "nominees")

    sign_in(phone, base, PROPOSER)
    phone.goto(f"{base}/ho-so/{dossier.pk}/sua/")
    phone.get_by_role("button", name="Thêm một dòng").click()
    phone.wait_for_function("s => (document.activeElement.name || '').endsWith(s)", arg="-kind")
    look(phone, "nominees-phone")
