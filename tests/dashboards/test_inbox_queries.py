"""The task inbox is paginated in SQL (issue 18): as many queries with 30 open tasks (two
pages) as with 5, and only the page's tasks are loaded. Dossiers are made through the real
services, since the inbox reads viewflow's tasks, which only the services create."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tests.dashboards.test_query_counts import BUDGET

pytestmark = pytest.mark.django_db


_serial = itertools.count(1)


def _arrive(demo, n: int) -> None:
    """`n` dossiers of the school at the commune, each for a different teacher."""
    unit = demo["th-hop-thanh"]
    for _ in range(n):
        i = next(_serial)
        teacher = {
            "kind": "individual",
            "full_name": f"Hoàng Văn Minh {i}",
            "birth_year": 1980,
            "gender": "male",
            "position": "Giáo viên",
            "organisation_name": unit.name,
            "identity_code": f"0010800{i:05d}",
            "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm học.",
        }
        f.submit_and_approve(f.make_draft(unit, nominee_fields=[teacher]))


def _inbox(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("workflow:inbox"))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_inbox_makes_as_many_queries_with_30_tasks_as_with_5(client, demo):
    client.force_login(f.user("hop-thanh.vanphong"))
    _arrive(demo, 5)
    client.get(reverse("workflow:inbox"))  # warm the calendar cache
    five, page = _inbox(client)
    assert page.count("Nhận việc") >= 5
    _arrive(demo, 25)
    thirty, page = _inbox(client)
    assert five == thirty
    assert thirty <= BUDGET
    assert page.count('name="csrfmiddlewaretoken"') <= 25 + 5  # one page of rows, not 30
    second = client.get(reverse("workflow:inbox") + "?page=2").content.decode()
    assert "HS-" in second  # the rest is on page 2
