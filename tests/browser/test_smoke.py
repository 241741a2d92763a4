"""A first walk in the browser: log in as a proposer, reach the home page and the lists."""

import pytest

from tests.browser.conftest import log_in, look

pytestmark = pytest.mark.browser


def test_a_proposer_logs_in_and_opens_the_lists(seeded, live_server, desk):
    log_in(desk, live_server.url, "th-hop-thanh.thiduakhenthuong")
    assert desk.url.rstrip("/") == live_server.url
    look(desk)
    desk.goto(f"{live_server.url}/ho-so/")
    look(desk)


def test_the_log_in_page_fits_a_phone(live_server, phone, transactional_db):
    phone.goto(f"{live_server.url}/dang-nhap/")
    look(phone)
