"""The dossier list at volume: its count stops past the page asked for (the capped count),
its pages still go as deep as the rows do, and a page past the end shows the last one."""

import pytest
from django.urls import reverse

from dossiers import listing
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
