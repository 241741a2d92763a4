"""The dossier list's filter choices are kept per data version (dossiers.facets, issue 18):
a change that can alter them shows on the very next request, a renamed unit at once, and
the request that computes them again makes as many queries with 500 dossiers as with 5."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Organisation
from organisations.services import assign_role
from tests.dashboards.bulk import bulk_dossiers
from tests.factories import user

pytestmark = pytest.mark.django_db

UNIT = "th-hop-thanh"
PROPOSER = f"{UNIT}.thiduakhenthuong"


def listed(client, username: str = PROPOSER) -> str:
    client.force_login(user(username))
    response = client.get(reverse("dossiers:list"))
    assert response.status_code == 200
    return response.content.decode()


def _some(demo, n: int, unit: str = UNIT):
    return bulk_dossiers(
        n, proposer=demo[unit], stage_org=demo["lang-son"], created_by=user(PROPOSER)
    )


def test_a_year_edited_on_a_dossier_is_offered_on_the_next_request(client, demo):
    dossiers = _some(demo, 3)
    assert '<option value="2019"' not in listed(client)  # computed, then kept
    dossiers[0].year = 2019
    dossiers[0].save()  # as every service saves: updated_at moves
    html = listed(client)
    assert '<option value="2019"' in html
    assert '<option value="2026"' in html


def test_a_new_dossier_of_another_form_is_offered_on_the_next_request(client, demo):
    _some(demo, 2)
    assert '<option value="giay-khen-xa"' not in listed(client)
    bulk_dossiers(
        1,
        proposer=demo[UNIT],
        stage_org=demo["lang-son"],
        created_by=user(PROPOSER),
        award_code="giay-khen-xa",
    )
    assert '<option value="giay-khen-xa"' in listed(client)  # not only in the rows


def test_a_role_given_on_another_unit_widens_the_choices_at_once(client, demo):
    other = "mn-xuat-le"
    _some(demo, 2)
    _some(demo, 2, unit=other)
    name = demo[other].name
    assert f">{name}</option>" not in listed(client)
    assign_role(user(PROPOSER), organisation=demo[other], role="proposer")
    assert f">{name}</option>" in listed(client)


def test_a_renamed_unit_shows_its_new_name_at_once(client, demo):
    _some(demo, 2)
    listed(client)
    Organisation.objects.filter(pk=demo[UNIT].pk).update(name="Trường Tiểu học Hợp Thành mới")
    assert ">Trường Tiểu học Hợp Thành mới</option>" in listed(client)


def _cold(client, url: str, dossier) -> int:
    dossier.save()  # a change: the next request computes the choices again
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_request_that_computes_the_choices_makes_as_many_queries_with_500(client, demo):
    client.force_login(user(PROPOSER))
    url = reverse("dossiers:list")
    first = _some(demo, 5)[0]
    client.get(url)  # the calendar cache
    five = _cold(client, url, first)
    _some(demo, 495)
    assert _cold(client, url, first) == five
