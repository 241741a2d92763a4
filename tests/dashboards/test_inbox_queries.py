"""The task inbox is paginated in SQL (issue 18): as many queries with 30 open tasks (two
pages) and with 500 as with 5, and only the page's tasks are loaded. Dossiers are made
through the real services, since the inbox reads viewflow's tasks, which only the services
create; the 500 are copies of a task they made (see _copies_of_an_open_task)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from tests import factories as f
from tests.dashboards.bulk import bulk_dossiers
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


def _copies_of_an_open_task(demo, n: int) -> None:
    """`n` more open tasks like the newest one the services made: each a copy of its
    viewflow process and task, for a bulk-made dossier (tests/dashboards/bulk.py), as
    bench/volume.py clones them. Honest here: the test measures how many queries the page
    makes as the queue grows, and the rows are those the services leave (a NEW task of the
    commune's secretariat on its organisation, its process pointing at the dossier)."""
    template = Task.objects.filter(status=STATUS.NEW).order_by("-pk").first()
    secretariat = f.user("hop-thanh.vanphong")
    dossiers = bulk_dossiers(
        n, proposer=demo["th-hop-thanh"], stage_org=demo["hop-thanh"], created_by=secretariat
    )
    process = template.process
    processes = Process.objects.bulk_create(
        Process(
            flow_class=process.flow_class,
            status=process.status,
            artifact_content_type_id=process.artifact_content_type_id,
            artifact_object_id=dossier.pk,
        )
        for dossier in dossiers
    )
    Task.objects.bulk_create(
        Task(
            process=copy,
            flow_task=template.flow_task,
            flow_task_type=template.flow_task_type,
            status=STATUS.NEW,
            token=template.token,
            owner_permission=template.owner_permission,
            owner_permission_content_type_id=template.owner_permission_content_type_id,
            owner_permission_obj_pk=template.owner_permission_obj_pk,
        )
        for copy in processes
    )


def test_the_inbox_makes_as_many_queries_with_500_tasks_as_with_5(client, demo):
    client.force_login(f.user("hop-thanh.vanphong"))
    _arrive(demo, 1)
    # and 4 copies, so that the first page holds a running clock at both sizes (a clock on
    # the page costs the calendar's query once, whatever the number of rows: bulk.KINDS)
    _copies_of_an_open_task(demo, 4)
    client.get(reverse("workflow:inbox"))  # warm the calendar cache
    five, page = _inbox(client)
    assert page.count("Nhận việc") >= 5
    _copies_of_an_open_task(demo, 495)
    five_hundred, page = _inbox(client)
    assert five == five_hundred
    assert five_hundred <= BUDGET
    assert "Trang 1/20" in page  # 500 tasks, 25 a page
    assert page.count("Nhận việc") >= 25
