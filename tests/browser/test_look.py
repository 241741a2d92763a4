"""Every main page at phone width (390 × 844) in Chromium: axe-core finds no serious or
critical problem and nothing scrolls sideways (`look`). The header's menu folds into a
"Menu" button there, and opens by keyboard. Screenshots: docs/screenshots/phone-<page>.png
for the dossier list, the inbox and the ballot list, and desk-header.png.

One test walks all pages on one seeded database: seeding takes most of a browser test's time.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from councils import services as council_services
from councils.models import Council
from organisations.models import Organisation
from tests import factories as f
from tests.browser.conftest import PASSWORD, horizontal_overflow, look

pytestmark = pytest.mark.browser

WHEN = datetime(2026, 11, 20, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
UNFOCUSABLE_SCROLLING_TABLES = """() => [...document.querySelectorAll("main table")]
    .filter((t) => t.scrollWidth > t.clientWidth + 1 && t.tabIndex !== 0).length"""
SHOT = {"dossiers": "phone-dossier-list", "inbox": "phone-inbox", "ballots": "phone-ballot-list"}
ACTED_ON = {"inbox": "main tbody button", "ballots": "main tbody a", "dossiers": "main tbody a"}
IN_VIEW = """(selector) => [...document.querySelectorAll(selector)].length > 0 &&
    [...document.querySelectorAll(selector)].every(
        (e) => e.getBoundingClientRect().right <= window.innerWidth)"""


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "/dang-nhap/" not in page.url, f"log-in failed for {username}"


def open_provincial_meeting():
    """A dossier before the provincial council, on the agenda of an open meeting: the
    members' ballot list has something in it."""
    dossier = f.make_dossier_at_council(Organisation.objects.get(code="th-hop-thanh"))
    council = Council.objects.get(organisation__code="lang-son")
    meeting = council_services.create_meeting(
        council.pk,
        by=f.user("lang-son.vanphong"),
        title="Phiên họp xét khen thưởng cuối năm 2026 của Hội đồng Thi đua – Khen thưởng tỉnh",
        scheduled_for=WHEN,
        place="Phòng họp số 1, trụ sở Ủy ban nhân dân tỉnh Lạng Sơn",
    )
    council_services.add_to_agenda(
        meeting.pk, by=f.user("lang-son.vanphong"), dossier_id=dossier.pk
    )
    council_services.open_meeting(meeting.pk, by=f.user("lang-son.chutichhd"))
    return dossier, meeting


def test_every_main_page_fits_a_phone_and_passes_axe(seeded, live_server, phone, desk):
    dossier, meeting = open_provincial_meeting()
    base = live_server.url

    phone.goto(f"{base}/dang-nhap/")
    look(phone, "phone-log-in")
    phone.click("text=Quên mật khẩu?")
    look(phone)

    pages = {
        "lang-son.vanphong": {
            "dossiers": "/ho-so/",
            "inbox": "/ho-so/viec-can-lam/",
            "dossier": f"/ho-so/{dossier.pk}/",
            "meetings": "/hoi-dong/",
            "meeting": f"/hoi-dong/phien/{meeting.pk}/",
            "decisions": "/quyet-dinh/",
            "decision-register": "/quyet-dinh/so-quyet-dinh/",
            "registry": "/quyet-dinh/khen-thuong/",
            "holds": "/quyet-dinh/tam-dung-xet/",
            "notifications": "/thong-bao/",
            "notification-settings": "/thong-bao/tuy-chon/",
            "overdue": "/han-xu-ly/qua-han/",
            "password-change": "/doi-mat-khau/",
        },
        "lang-son.hoidong01": {
            "ballots": "/hoi-dong/phieu/",
            "ballot": f"/hoi-dong/phien/{meeting.pk}/bo-phieu/",
        },
    }
    failures = []
    for username, paths in pages.items():
        log_in(phone, base, username)
        for name, path in paths.items():
            response = phone.goto(base + path)
            assert response.status == 200, f"{name}: HTTP {response.status}"
            try:
                look(phone, SHOT.get(name))
            except AssertionError as problem:
                failures.append(f"{name}: {problem} (overflow {horizontal_overflow(phone)} px)")
            # A table that scrolls inside itself can be scrolled by keyboard (tables.js).
            if phone.evaluate(UNFOCUSABLE_SCROLLING_TABLES):
                failures.append(f"{name}: a scrolling table cannot take the keyboard focus")
            # What a phone user acts on is in view without scrolling a table sideways: the
            # inbox's claim button, the ballot list's meeting (each row a card there).
            if name in ACTED_ON and not phone.evaluate(IN_VIEW, ACTED_ON[name]):
                failures.append(f"{name}: {ACTED_ON[name]} is past the screen's right edge")
        phone.context.clear_cookies()
    assert failures == []

    # The menu is folded on a phone, and opens by keyboard from its button.
    log_in(phone, base, "lang-son.vanphong")
    nav_link = phone.locator(".menu__nav a", has_text="Sổ khen thưởng")
    assert not nav_link.is_visible()
    phone.locator(".menu__toggle").focus()
    phone.keyboard.press("Enter")
    assert nav_link.is_visible()
    look(phone, "phone-menu-open")

    # At a desk the menu is open, its button hidden; the header names the user's body.
    log_in(desk, base, "so-noi-vu.vanphong")
    assert desk.locator(".menu__nav a", has_text="Sổ khen thưởng").is_visible()
    assert not desk.locator(".menu__toggle").is_visible()
    assert desk.locator(".identity__agency").inner_text() == "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN"
    assert desk.locator(".identity__unit").inner_text() == "Sở Nội vụ tỉnh Lạng Sơn"
    look(desk, "desk-header")
