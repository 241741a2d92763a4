"""The dossier list: folded search, filters, order, pages and the .xlsx of what is shown."""

import importlib
from io import BytesIO

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dossiers import services
from dossiers.models import Dossier
from registry.queries import search_registry
from registry.services import import_award
from tests import factories
from tests.dashboards.bulk import bulk_dossiers
from tests.factories import submit_and_approve, user

pytestmark = pytest.mark.django_db

UNIT = "th-hop-thanh"
PROPOSER = f"{UNIT}.thiduakhenthuong"


def mai(unit, *, name="Hoàng Thị Mai", code="001190000001"):
    fields = {
        "kind": "individual",
        "full_name": name,
        "birth_year": 1984,
        "gender": "female",
        "position": "Giáo viên",
        "organisation_name": unit.name,
        "identity_code": code,
        "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm học.",
    }
    return factories.make_draft(unit, nominee_fields=[fields])


def listed(client, query: str = "", username: str = PROPOSER) -> str:
    client.force_login(user(username))
    response = client.get(reverse("dossiers:list") + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "typed", ["hoang thi mai", "HOÀNG THỊ MAI", "Hoàng  Thị   Mai", "mai hoang", "HOANG thị"]
)
def test_a_nominee_is_found_whatever_the_case_marks_or_spaces(client, demo, typed):
    dossier = mai(demo[UNIT])
    other = factories.make_draft(demo[UNIT], nominee_fields=[{**_other(demo)}])
    html = listed(client, f"?q={typed}")
    assert dossier.reference in html
    assert other.reference not in html


def _other(demo):
    return {
        "kind": "individual",
        "full_name": "Lương Văn Tùng",
        "birth_year": 1979,
        "gender": "male",
        "organisation_name": demo[UNIT].name,
        "identity_code": "001179000002",
        "achievement_summary": "Hoàn thành tốt nhiệm vụ.",
    }


def test_the_reference_and_the_title_are_searched_folded_too(client, demo):
    dossier = mai(demo[UNIT])
    assert dossier.reference in listed(client, f"?q={dossier.reference.lower()}")
    assert dossier.reference in listed(client, "?q=DE+NGHI+BANG+KHEN")
    assert "Tìm thấy 0 hồ sơ" in listed(client, "?q=khong+co+ai")


def test_the_search_follows_nominee_and_title_changes(client, demo):
    dossier = mai(demo[UNIT])
    nominee = dossier.nominees.get()
    proposer = user(PROPOSER)
    services.update_nominee(dossier.pk, nominee.pk, by=proposer, full_name="Đặng Thu Hà")
    assert dossier.reference in listed(client, "?q=dang+thu+ha")
    assert dossier.reference not in listed(client, "?q=hoang+thi+mai")
    services.add_nominee(dossier.pk, by=proposer, **{**_other(demo), "identity_code": "0011"})
    assert dossier.reference in listed(client, "?q=luong+van+tung")
    services.remove_nominee(dossier.pk, nominee.pk, by=proposer)
    assert dossier.reference not in listed(client, "?q=dang+thu+ha")
    services.update_dossier(dossier.pk, by=proposer, title="Tờ trình khen thưởng đột xuất")
    assert dossier.reference in listed(client, "?q=dot+xuat")


def test_the_migration_backfills_the_search_column(client, demo):
    dossier = mai(demo[UNIT])
    Dossier.objects.update(search_text="")
    assert dossier.reference not in listed(client, "?q=hoang+thi+mai")
    importlib.import_module("dossiers.migrations.0008_search_text").backfill(apps, None)
    assert dossier.reference in listed(client, "?q=hoang+thi+mai")


def test_filters_narrow_the_list(client, demo):
    kept = submit_and_approve(mai(demo[UNIT]))
    draft = factories.make_draft(demo[UNIT], "giay-khen-xa", nominee_fields=[_other(demo)])
    html = listed(client, f"?status=intermediate_appraisal&organisation={demo[UNIT].pk}")
    assert kept.reference in html
    assert draft.reference not in html
    html = listed(client, "?award=giay-khen-xa")
    assert draft.reference in html
    assert kept.reference not in html
    assert "Tìm thấy 0 hồ sơ" in listed(client, "?year=2025&overdue=on")


def test_overdue_and_the_due_date_order(client, demo):
    rows = bulk_dossiers(
        9, proposer=demo[UNIT], stage_org=demo["lang-son"], created_by=user(PROPOSER)
    )
    overdue = next(d for d in rows if "(overdue)" in d.title)
    in_time = next(d for d in rows if "(to_appraise)" in d.title)
    html = listed(client, "?overdue=on", username="lang-son.vanphong")
    assert overdue.reference in html
    assert in_time.reference not in html
    html = listed(client, "?sort=due", username="lang-son.vanphong")
    assert html.index(overdue.reference) < html.index(in_time.reference)
    html = listed(client, "?sort=reference", username="lang-son.vanphong")
    references = sorted(d.reference for d in rows if d.current_stage is not None)
    assert html.index(references[0]) < html.index(references[-1])


def test_pages_of_25_keep_the_filters(client, demo):
    bulk_dossiers(60, proposer=demo[UNIT], stage_org=demo["lang-son"], created_by=user(PROPOSER))
    html = listed(client, "?q=hoang&sort=reference")
    assert "Trang 1/3" in html
    assert "q=hoang&amp;sort=reference&amp;page=2" in html
    assert html.count('<td><a href="/ho-so/') == 25


def test_the_export_holds_exactly_the_rows_shown_in_their_order(client, demo):
    rows = bulk_dossiers(
        30, proposer=demo[UNIT], stage_org=demo["lang-son"], created_by=user(PROPOSER)
    )
    client.force_login(user(PROPOSER))
    query = "?q=mai&status=provincial_appraisal&sort=reference"
    response = client.get(reverse("dossiers:list") + query + "&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    exported = [r[1] for r in sheet.iter_rows(min_row=3, values_only=True)]
    expected = sorted(d.reference for d in rows if d.status == "provincial_appraisal")
    assert exported == expected
    html = listed(client, query)
    assert [ref for ref in expected if ref in html] == expected  # the page shows the same
    header = [c.value for c in sheet[2]]
    assert header[:3] == ["STT", "Số hồ sơ", "Trích yếu"]


def test_bad_filters_are_reported_and_ignored_never_a_500(client, demo):
    dossier = mai(demo[UNIT])
    html = listed(client, "?year=abc&organisation=999999&sort=zzz&task=nope&page=-4&q=" + "x" * 300)
    assert 'class="error-summary"' in html
    assert 'href="#id_year"' in html
    assert dossier.reference in html  # the list, without the refused filters


def test_another_units_dossiers_are_never_listed_or_exported(client, demo):
    dossier = mai(demo[UNIT])
    client.force_login(user("mn-xuat-le.thiduakhenthuong"))
    assert dossier.reference not in client.get(reverse("dossiers:list") + "?q=mai").content.decode()
    exported = client.get(reverse("dossiers:list") + "?format=xlsx").content
    sheet = load_workbook(BytesIO(exported)).active
    assert [r for r in sheet.iter_rows(min_row=3, values_only=True)] == []


def test_the_registry_search_is_folded_the_same_way(demo):
    secretariat = user("lang-son.vanphong")
    entry = import_award(
        by=secretariat,
        issuer=demo["lang-son"],
        unit=demo[UNIT],
        full_name="Hoàng Thị Mai",
        award_code="bang-khen-tinh",
        award_name="Bằng khen",
        year=2024,
        decision_label="12/QĐ-UBND",
        decision_date=timezone.localdate().replace(year=2024),
    )
    for typed in ("hoang thi mai", "HOÀNG THỊ MAI", "  hoàng  thị mai", "mai hoang"):
        assert list(search_registry(secretariat, name=typed)) == [entry], typed
    assert list(search_registry(secretariat, name="hoang van mai")) == []
