"""Each home page, the dossier list and the other list pages (overdue clocks, notices,
decisions, meetings, ballots) make as many queries with 500 rows of each kind as with 5 (and
at most 15). The overdue list once read the calendar per row and the notice list the
recipient and the template per row (issue 18): these tests caught both.

Rows are made with tests/dashboards/bulk.py (bulk_create; see its docstring for why that is
honest here). The first request of each test warms the per-process working-day calendar
cache, which is shared by every later request, and the dossier list's kept filter choices
(dossiers.facets), which the next request after a change computes again.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.demo import seed_councils
from councils.models import CouncilMember
from notifications.models import OutboxMessage
from tests.dashboards.bulk import KINDS, bulk_dossiers, bulk_draft_decisions, bulk_open_meetings
from tests.factories import user

pytestmark = pytest.mark.django_db

# 15, the header included: every page reads the user's body and province (organisations.
# context_processors.identity, one query).
BUDGET = 15
UNIT = "th-hop-thanh"
PROVINCE = "lang-son"


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow(demo, n: int) -> None:
    """`n` rows of every kind a page counts: n dossiers in each section (bulk.KINDS), n draft
    decisions, n open sessions."""
    proposer = user(f"{UNIT}.thiduakhenthuong")
    bulk_dossiers(
        n * len(KINDS), proposer=demo[UNIT], stage_org=demo[PROVINCE], created_by=proposer
    )
    secretariat = user(f"{PROVINCE}.vanphong")
    bulk_draft_decisions(n, issuer=demo[PROVINCE], created_by=secretariat)
    member = CouncilMember.objects.filter(
        council__organisation=demo[PROVINCE], user__username=f"{PROVINCE}.uyvien"
    ).first()
    bulk_open_meetings(n, council=member.council, member=member, created_by=secretariat)


def _five_and_five_hundred(client, demo, username: str, url: str) -> tuple[int, int]:
    seed_councils()
    client.force_login(user(username))
    _grow(demo, 5)
    client.get(url)  # warm the calendar cache and the list's kept choices (dossiers.facets)
    five = _queries(client, url)
    _grow(demo, 495)
    # The rows changed, so the first request computes the list's choices again (the cold
    # path: tests/dossiers/test_facets.py counts it at 5 and 500 too); compare like with like.
    client.get(url)
    return five, _queries(client, url)


@pytest.mark.parametrize(
    "username",
    [
        f"{UNIT}.thiduakhenthuong",  # proposer
        f"{UNIT}.thutruong",  # unit head
        f"{PROVINCE}.vanphong",  # secretariat
        f"{PROVINCE}.uyvien",  # council member
        f"{PROVINCE}.chutichhd",  # council chair
        f"{PROVINCE}.lanhdao",  # signing authority
        f"{PROVINCE}.quantri",  # administrator
    ],
)
def test_home_page_queries_do_not_grow_with_rows(client, demo, username):
    five, five_hundred = _five_and_five_hundred(client, demo, username, reverse("home"))
    assert five == five_hundred
    assert five_hundred <= BUDGET


@pytest.mark.parametrize(
    ("username", "query"),
    [
        (f"{UNIT}.thiduakhenthuong", ""),
        (f"{UNIT}.thiduakhenthuong", "?q=hoang+thi+mai&sort=due"),
        (f"{PROVINCE}.vanphong", "?task=to_appraise&sort=reference"),
        (f"{PROVINCE}.vanphong", "?overdue=on&year=2026&status=provincial_appraisal"),
    ],
)
def test_dossier_list_queries_do_not_grow_with_rows(client, demo, username, query):
    url = reverse("dossiers:list") + query
    five, five_hundred = _five_and_five_hundred(client, demo, username, url)
    assert five == five_hundred
    assert five_hundred <= BUDGET


def test_the_export_queries_do_not_grow_with_rows(client, demo):
    url = reverse("dossiers:list") + "?format=xlsx"
    five, five_hundred = _five_and_five_hundred(client, demo, f"{PROVINCE}.vanphong", url)
    assert five == five_hundred
    assert five_hundred <= BUDGET


def _notices(username: str, n: int) -> None:
    """`n` notices for `username`, of the kinds the services send (templates vary)."""
    kinds = ("dossier_action_needed", "dossier_returned", "deadline_reminder")
    recipient = user(username)
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            recipient=recipient,
            template=kinds[i % len(kinds)],
            context={
                "reference": f"HS-2026-{i:06d}",
                "title": f"Đề nghị khen thưởng số {i}",
                "status": "Chờ quyết định",
                "url": f"/ho-so/{i}/",
                "reason": "Bổ sung biên bản",
                "due_on": "15/12/2026",
            },
            dedupe_key=f"bulk-{username}-{n}-{i}",
        )
        for i in range(n)
    )


@pytest.mark.parametrize(
    ("username", "name"),
    [
        (f"{PROVINCE}.vanphong", "workflow:overdue"),
        (f"{PROVINCE}.vanphong", "notifications:list"),
        (f"{UNIT}.thiduakhenthuong", "notifications:list"),
        (f"{PROVINCE}.vanphong", "decisions:list"),
        (f"{PROVINCE}.vanphong", "councils:meetings"),
        (f"{PROVINCE}.uyvien", "councils:ballots"),
    ],
)
def test_other_list_pages_make_as_many_queries_with_500_rows_as_with_5(
    client, demo, username, name
):
    seed_councils()
    client.force_login(user(username))
    url = reverse(name)
    _grow(demo, 5)
    _notices(username, 5)
    client.get(url)  # warm the calendar cache
    five = _queries(client, url)
    _grow(demo, 495)
    _notices(username, 495)
    five_hundred = _queries(client, url)
    assert five == five_hundred
    assert five_hundred <= BUDGET
