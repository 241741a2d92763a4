"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Chromium comes from Debian (`apt-get install chromium`, /usr/bin/chromium): Playwright's own
browser download does not work on the closed network. Without it the tests are skipped on a
developer's machine and fail under CI=true (the `_missing` rule of tests/conftest.py).

Every page a test visits can be checked by `look(page, name)`: axe-core (from npm,
node_modules/axe-core) reports no serious or critical violation, the page has no horizontal
overflow at the viewport's width, and a screenshot goes to docs/screenshots/ when asked.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from demo.models import DemoAccount
from tests.conftest import ROOT, _missing

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "docs" / "screenshots"
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "khenthuong-demo-2026"
# As root in CI, and on a closed network: the flags of stack-notes.md.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the live server and the ORM calls
# of the test body are ordinary synchronous Django, which refuses to run beside one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        _missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    if not AXE.exists():
        _missing("axe-core is not installed (npm ci)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def seeded(transactional_db):
    """The demo province, catalogue, calendar and councils, as `make run` has them."""
    call_command("seed_demo", "--quiet", "--force", verbosity=0)
    # The journeys sign in with the published demo password; the rule that sends a seeded
    # account to /doi-mat-khau/ first has its own test (tests/security/test_hardening.py).
    DemoAccount.objects.all().delete()


def _context(chromium, viewport):
    context = chromium.new_context(viewport=viewport, locale="vi-VN")
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def desk(chromium):
    context = _context(chromium, DESK)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(chromium):
    context = _context(chromium, PHONE)
    yield context.new_page()
    context.close()


def log_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    # The log-in form's own button (the header's language form has a submit button too).
    page.click("form:has(input[name=password]) [type=submit]")
    page.wait_for_load_state()


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations of the page as it stands."""
    # Through DevTools, not a <script> tag: the Content-Security-Policy (default-src 'self')
    # refuses inline scripts, and the journeys run under the real policy.
    page.evaluate(AXE.read_text() + "\n;true")
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"])}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than its viewport (0: no sideways scroll)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )


def look(page, name: str | None = None) -> None:
    """Assert the page is accessible (axe) and fits its width; keep a screenshot if named."""
    assert axe_violations(page) == [], f"accessibility: {page.url}"
    assert horizontal_overflow(page) <= 0, f"sideways scroll: {page.url}"
    if name:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
