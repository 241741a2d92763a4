"""The dossier list at volume: its count stops past the page asked for (the capped count),
its pages still go as deep as the rows do, and a page past the end shows the last one."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from dossiers import listing
from dossiers.models import Dossier
from tests.dashboards.bulk import bulk_dossiers
from tests.factories import user

pytestmark = pytest.mark.django_db

UNIT = "th-hop-thanh"
PROPOSER = f"{UNIT}.thiduakhenthuong"


def listed(client, query: str = "") -> str:
    client.force_login(user(PROPOSER))
    response = client.get(reverse("dossiers:list") + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def sixty(demo, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 10)
    return bulk_dossiers(
        60, proposer=demo[UNIT], stage_org=demo["lang-son"], created_by=user(PROPOSER)
    )


def test_past_the_cap_the_list_says_more_than_and_pages_without_a_total(client, sixty):
    html = listed(client)
    assert "Tìm thấy hơn 35 hồ sơ" in html  # page 1: 25 shown + 10 counted past them
    assert "Trang 1</span>" in html
    assert "Trang 1/" not in html
    assert "page=2" in html
    assert html.count('<td><a href="/ho-so/') == 25


def test_a_deep_page_is_reached_and_there_the_count_is_exact(client, sixty):
    html = listed(client, "?page=3")
    assert "Tìm thấy 60 hồ sơ" in html
    assert "Trang 3/3" in html
    assert html.count('<td><a href="/ho-so/') == 10
    oldest = min(sixty, key=lambda d: (d.updated_at, d.pk))
    assert oldest.reference in html  # the last page holds the oldest


def test_a_page_past_the_end_shows_the_last_page(client, sixty):
    html = listed(client, "?page=99")
    assert "Trang 3/3" in html
    assert html.count('<td><a href="/ho-so/') == 10


def test_under_the_cap_the_count_is_exact(client, demo):
    bulk_dossiers(30, proposer=demo[UNIT], stage_org=demo["lang-son"], created_by=user(PROPOSER))
    html = listed(client)
    assert "Tìm thấy 30 hồ sơ" in html
    assert "Trang 1/2" in html


def test_the_rows_leave_out_the_wide_columns(demo):
    rows = listing.listed_dossiers(user(PROPOSER), listing.Dossier.objects.all(), {})
    deferred = rows.query.deferred_loading
    assert set(listing.WIDE_COLUMNS) <= set(deferred[0])
    assert deferred[1] is True  # deferred, not `only`


def _next_link(html: str) -> str | None:
    found = re.search(r'<a href="(\?[^"]*)">Trang sau</a>', html)
    return found and found.group(1).replace("&amp;", "&")


def _references(html: str) -> list[str]:
    return re.findall(r'<td><a href="/ho-so/\d+/">([^<]+)</a>', html)


def test_following_next_reads_every_dossier_once_in_order_from_where_the_page_ended(client, sixty):
    # Ties on the update time are broken by the id, as the order is.
    Dossier.objects.filter(pk__in=[d.pk for d in sixty[20:40]]).update(
        updated_at=sixty[20].updated_at
    )
    by_number = [_references(listed(client, f"?page={n}")) for n in (1, 2, 3)]
    seen, query, links = [], "", []
    while True:
        html = listed(client, query)
        seen.append(_references(html))
        query = _next_link(html)
        if query is None:
            break
        links.append(query)
    assert seen == by_number  # the same pages as by number, each dossier once
    assert sum(map(len, seen)) == 60
    assert all("after=" in link for link in links)
    assert "Trang 3/3" in html


def test_a_page_after_its_cursor_walks_from_there_not_past_the_pages_before(client, sixty):
    page2 = _next_link(listed(client))
    page3 = _next_link(listed(client, page2))
    with CaptureQueriesContext(connection) as by_cursor:
        listed(client, page3)
    with CaptureQueriesContext(connection) as by_offset:
        listed(client, "?page=3")

    def limits(captured):
        found = (re.search(r"LIMIT (\d+)$", q["sql"]) for q in captured.captured_queries)
        return [m.group(1) for m in found if m]

    assert "36" in limits(by_cursor)  # 25 rows + the cap of 10 + 1, whatever the depth
    assert "86" in limits(by_offset)  # by number: the 50 rows before the page walked too
    assert len(by_cursor.captured_queries) == len(by_offset.captured_queries)


@pytest.mark.parametrize("after", ["abc", "1_2_3", "-5_3", "99999999999999999999999_1", "_"])
def test_a_cursor_typed_by_hand_finds_the_page_by_its_number(client, sixty, after):
    assert _references(listed(client, f"?page=2&after={after}")) == _references(
        listed(client, "?page=2")
    )


def test_a_cursor_past_the_last_row_falls_back_to_the_number(client, sixty):
    oldest = min(sixty, key=lambda d: (d.updated_at, d.pk))
    html = listed(client, f"?page=3&after={listing.encode_cursor(oldest)}")
    assert "Trang 3/3" in html
    assert len(_references(html)) == 10


def test_a_states_name_is_one_translation_not_one_per_state(demo, monkeypatch):
    dossier = Dossier(status="provincial_appraisal")
    translation.gettext("x")  # the translation machinery set up
    calls = []
    real = translation._trans.gettext
    monkeypatch.setattr(translation._trans, "gettext", lambda m: calls.append(m) or real(m))
    with translation.override("en"):
        shown = [dossier.get_status_display() for _ in range(25)]
    assert len(calls) <= 25  # Django's own: every state's label, each call (275)
    with translation.override("en"):
        english = translation.gettext("Cấp tỉnh tiếp nhận, thẩm định")
    assert shown[0] == english != "Cấp tỉnh tiếp nhận, thẩm định"
    assert Dossier(status="no-such-state").get_status_display() == "no-such-state"
