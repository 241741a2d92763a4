"""The statistics page, its exports and the role guides, as a user meets them."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dossiers.forms import NomineeForm
from organisations.models import Organisation
from reports.demo import build_year
from reports.models import ReportForm
from tests.factories import user
from tests.reports.conftest import YEAR

pytestmark = pytest.mark.django_db

URL = "/thong-ke/"
YEAR_QUERY = {"year": YEAR}


def _grow(province, n: int, seed: int) -> None:
    build_year(
        province=province,
        year=YEAR,
        dossiers=n,
        seed=seed,
        audit=False,
        created_by=user("lang-son.vanphong"),
        until=date(YEAR, 12, 31),
    )


def _queries(client, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    assert "Tổng số khen thưởng" in response.content.decode()
    return len(captured)


def test_the_page_asks_as_many_queries_for_500_awards_as_for_5(secretariat_client, province):
    params = {"organisation": province.pk, **YEAR_QUERY}
    _grow(province, 5, seed=1)
    # Warms the per-process working-day calendar cache (other filters: not a kept page,
    # reports.cache; tests/reports/test_cache.py counts the kept page's queries).
    secretariat_client.get(URL, {**params, "award": "ldtt"})
    few = _queries(secretariat_client, params)
    _grow(province, 495, seed=2)
    many = _queries(secretariat_client, params)
    assert few == many
    # Session and user 2, the page frame 4 (header, bell, preferences, menu), the filters 5,
    # the data's version 1, the figures 3, the calendar's version 2, the report forms 1:
    # 18-19, whatever the rows.
    assert many <= 20


def test_the_page_shows_the_year_s_figures_and_charts(secretariat_client, seeded_year):
    html = secretariat_client.get(URL).content.decode()  # defaults: the province, last year
    assert f"01/01/{YEAR}" in html
    assert 'role="img"' in html
    assert '<title id="chart-forms-title">' in html
    assert "Danh hiệu Lao động tiên tiến" in html
    assert "Trung vị" in html
    assert "TT18/2025-KT-TINH" in html  # the 2025 successors are the forms in force in 2026
    assert "0603.N/BNV-TĐKT" not in html


def test_the_2023_forms_are_offered_for_a_2024_period(secretariat_client, seeded_year):
    html = secretariat_client.get(URL, {"organisation": seeded_year.pk, "year": 2024}).content
    html = html.decode()
    assert "0602.N/BNV-TĐKT" in html
    assert "0603.N/BNV-TĐKT" in html
    assert "TT18/2025-KT-TINH" not in html


def test_a_unit_user_cannot_choose_the_province(client, demo, seeded_year):
    client.force_login(user("th-hop-thanh.thiduakhenthuong"))
    response = client.get(URL, {"organisation": seeded_year.pk, **YEAR_QUERY})
    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html
    assert "Tổng số khen thưởng" not in html  # no figures of someone else's scope
    own = client.get(URL).content.decode()
    assert "Trường Tiểu học Hợp Thành" in own
    assert "Tỉnh Lạng Sơn" not in own.split('id="id_organisation"')[1].split("</select>")[0]


def test_the_province_reads_each_commune_below_it(secretariat_client, seeded_year, demo):
    commune = demo["xuat-le"]
    response = secretariat_client.get(URL, {"organisation": commune.pk, **YEAR_QUERY})
    awards = response.context["awards"]
    province_total = secretariat_client.get(
        URL, {"organisation": seeded_year.pk, **YEAR_QUERY}
    ).context["awards"]
    assert 0 < awards.total("total") < province_total.total("total")


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"year": "", "date_from": "32/13/2026", "date_to": "01/01/2026"},
        {"year": "", "date_from": "31/12/2026", "date_to": "01/01/2026"},
        {"year": "", "date_from": "01/01/2000", "date_to": "01/01/2026"},
        {"year": "2026", "date_from": "01/01/2026", "date_to": "31/12/2026"},
        {"year": "", "date_from": "01/01/2026"},
        {"organisation": "999999", "year": "2026"},
        {"organisation": "x' OR 1=1", "year": "2026"},
        {"campaign": "abc", "year": "2026"},
        {"level": "galaxy", "year": "2026"},
        {"award": "=cmd|' /C calc'!A0", "year": "2026"},
    ],
)
def test_bad_filters_name_the_field_and_never_fail(secretariat_client, province, params):
    response = secretariat_client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    assert "Tổng số khen thưởng" not in html
    export = secretariat_client.get(URL, {**params, "format": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/html")


def test_a_date_range_works_like_a_year(secretariat_client, seeded_year):
    by_year = secretariat_client.get(URL, {"organisation": seeded_year.pk, **YEAR_QUERY})
    by_range = secretariat_client.get(
        URL,
        {"organisation": seeded_year.pk, "date_from": f"01/01/{YEAR}", "date_to": f"31/12/{YEAR}"},
    )
    assert by_range.context["awards"].figures == by_year.context["awards"].figures


def test_the_xlsx_export_holds_the_page_s_totals(secretariat_client, seeded_year):
    page = secretariat_client.get(URL, {"organisation": seeded_year.pk, **YEAR_QUERY})
    total = page.context["awards"].total("total")
    response = secretariat_client.get(
        URL, {"organisation": seeded_year.pk, **YEAR_QUERY, "format": "xlsx"}
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    totals = next(r for r in rows if r[1] == "Tổng cộng")
    assert totals[6] == total
    assert any(r[1] == "Cấp tỉnh" and r[3] is not None for r in rows)  # time per stage


def test_a_report_form_is_exported_in_its_own_layout(secretariat_client, seeded_year):
    form = ReportForm.objects.get(code="TT18/2025-KT-CS")
    params = {"organisation": seeded_year.pk, **YEAR_QUERY}
    figures = secretariat_client.get(URL, params).context["awards"].figures
    response = secretariat_client.get(reverse("reports:report_form", args=[form.pk]), params)
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1] == ["STT", "Chỉ tiêu", *[c["label"] for c in form.layout["columns"]]]
    ldtt = next(r for r in rows if r[1] == "Danh hiệu Lao động tiên tiến")
    assert ldtt[2] == figures["form.ldtt.total"] > 0
    assert ldtt[6] == figures["form.ldtt.individual"]
    assert any("bố cục mặc định" in str(r[1]).lower() for r in rows)  # labelled as a default


def test_text_that_looks_like_a_formula_stays_text_in_the_export(secretariat_client, seeded_year):
    Organisation.objects.filter(pk=seeded_year.pk).update(name='=HYPERLINK("http://x")')
    response = secretariat_client.get(
        URL, {"organisation": seeded_year.pk, **YEAR_QUERY, "format": "xlsx"}
    )
    sheet = load_workbook(BytesIO(response.content)).active
    title = sheet["A1"]
    assert title.data_type == "s"
    stage_org = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=")]
    assert stage_org
    assert all(c.data_type == "s" for c in stage_org)


def test_an_unknown_report_form_is_not_found(secretariat_client, province):
    assert secretariat_client.get("/thong-ke/bieu/999999/").status_code == 404


def test_someone_with_no_role_gets_no_statistics(client, demo, django_user_model):
    client.force_login(django_user_model.objects.create(username="nobody"))
    assert client.get(URL).status_code == 404


def test_the_forms_are_versioned_data(db):
    old = ReportForm.objects.get(code="0603.N/BNV-TĐKT")
    new = ReportForm.objects.get(code="TT18/2025-KT-TINH")
    assert new.supersedes == old
    assert old.valid_to == date(2025, 6, 30)
    assert new.valid_from == date(2025, 7, 1)
    assert not new.layout_confirmed  # shipped as a configurable default, and says so
    assert "18/2025/TT-BNV" in new.legal_basis


@pytest.mark.parametrize(
    "role",
    [
        "proposer",
        "unit_head",
        "secretariat",
        "council_member",
        "council_chair",
        "signing_authority",
        "administrator",
    ],
)
def test_every_role_has_a_printable_guide(client, demo, role):
    client.force_login(user("lang-son.vanphong"))
    response = client.get(f"/huong-dan/{role}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "reports/reports.css" in html  # with its print rules
    assert "Các ô cần điền" in html


def test_the_proposer_guide_is_made_of_the_forms_and_the_workflow_s_own_words(client, demo):
    client.force_login(user("th-hop-thanh.thiduakhenthuong"))
    html = client.get("/huong-dan/proposer/").content.decode()
    assert str(NomineeForm.base_fields["identity_code"].help_text) in html
    assert "Gửi hồ sơ" in html  # the label the dossier's history gives `submit`
    assert "Đơn vị xét duyệt" in html  # where it goes next
    index = client.get("/huong-dan/").content.decode()
    assert "vai trò của bạn" in index


def test_the_unit_head_guide_names_the_step_and_what_follows(client, demo):
    client.force_login(user("th-hop-thanh.thutruong"))
    html = client.get("/huong-dan/unit_head/").content.decode()
    assert "Thủ trưởng đơn vị duyệt, gửi lên cấp trên" in html
    assert "Trả lại để bổ sung" in html


def test_an_unknown_role_guide_is_not_found(client, demo):
    client.force_login(user("lang-son.vanphong"))
    assert client.get("/huong-dan/emperor/").status_code == 404


def test_a_layout_that_cannot_be_filled_is_refused_before_it_is_saved(db):
    form = ReportForm.objects.get(code="TT18/2025-KT-CS")
    form.layout = {"columns": [{"key": "total"}], "rows": []}
    with pytest.raises(ValidationError) as refused:
        form.full_clean()
    assert "layout" in refused.value.message_dict


def test_only_a_platform_operator_edits_report_forms_in_the_admin(client, demo, django_user_model):
    form = ReportForm.objects.get(code="TT18/2025-KT-CS")
    url = f"/quan-tri/reports/reportform/{form.pk}/change/"
    staff = user("lang-son.quantri")
    client.force_login(staff)
    assert client.get(url).status_code in (302, 403, 404)
    operator = django_user_model.objects.create_superuser(
        "operator", "op@example.vn", "x-Long-pass-1"
    )
    client.force_login(operator)
    assert client.get(url).status_code == 200
