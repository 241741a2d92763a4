"""The dossier page in Chromium: accessible (axe), no sideways scroll at 390 px, screenshots.

docs/screenshots/dossier-page.png (desk, a commune secretariat on a dossier it is
appraising) and dossier-page-phone.png (phone, the proposer on its draft), then the
withdrawal's confirmation page on the phone, refused without a reason: the error summary
takes focus and links to the field.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from dossiers.models import Dossier
from tests import factories as f
from tests.browser.conftest import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(transactional_db):
    """The harness's `seeded`, with --force: seed_demo now refuses to run with DEBUG off
    (the hardening of the demo accounts), which the test settings are."""
    call_command("seed_demo", "--quiet", "--force", verbosity=0)


def sign_in(page, base: str, username: str) -> None:
    """A session made by Django's test client, handed to the browser: the demo accounts must
    change their published password at a password log-in, which this test is not about."""
    client = Client()
    client.force_login(f.user(username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def test_the_dossier_page_reads_well_at_the_desk_and_on_a_phone(seeded, live_server, desk, phone):
    base = live_server.url
    # The demo's own dossiers (seed_demo also files a year of decided ones for the statistics).
    at_commune = Dossier.objects.exclude(status="decided").get(proposer__code="thcs-tan-doan")
    sign_in(desk, base, f"{at_commune.current_stage.organisation.code}.vanphong")
    desk.goto(f"{base}/ho-so/{at_commune.pk}/")
    assert desk.locator(".stepper__step--done").count() == 1
    assert desk.locator(".stepper [aria-current=step]").count() == 1
    look(desk, "dossier-page")

    # A button of a data-once form disables itself on the first click (static/js/once.js);
    # the navigation is held back here so the button can be looked at.
    form = desk.locator("form[data-once]:not([data-once='off'])").first
    form.evaluate("f => f.addEventListener('submit', e => e.preventDefault())")
    button = form.locator("button[type=submit]")
    button.click()
    desk.wait_for_function("b => b.disabled", arg=button.element_handle())
    assert Dossier.objects.get(pk=at_commune.pk).status == at_commune.status

    draft = Dossier.objects.get(proposer__code="th-hop-thanh", status="draft")
    sign_in(phone, base, "th-hop-thanh.thiduakhenthuong")
    phone.goto(f"{base}/ho-so/{draft.pk}/")
    look(phone, "dossier-page-phone")

    phone.get_by_role("link", name="Rút hồ sơ…").click()
    assert phone.url.endswith(f"/ho-so/{draft.pk}/thao-tac/withdraw/")
    look(phone)
    phone.get_by_role("button", name="Có, rút hồ sơ").click()
    phone.wait_for_selector("[data-error-summary]")
    assert phone.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    phone.locator(".error-summary a").click()
    assert phone.evaluate("() => document.activeElement.id") == "id_reason"
    look(phone, "dossier-page-confirm-phone")
    assert Dossier.objects.get(pk=draft.pk).status == "draft"
