"""Form 0601.N (emulation movements) over the campaigns: on the statistics page and in its
.xlsx, each cell equals a count made here, campaign by campaign, from the rows themselves."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns import services
from dossiers.models import Campaign, CampaignKind
from reports.models import ReportForm
from tests.factories import user
from tests.reports.conftest import YEAR

pytestmark = pytest.mark.django_db
URL = "/thong-ke/"
CODE = "TT18/2025-PTTĐ"


@pytest.fixture
def campaigns(demo):
    """Six campaigns of the demo province's bodies; five launched in 2026."""

    def launch(code, kind, *, starts_on, document_date=None, scope=()):
        return services.launch_campaign(
            organisation=demo[code],
            by=user(f"{code}.vanphong"),
            name=f"Phong trào {code} {kind} {starts_on}",
            kind=kind,
            starts_on=starts_on,
            ends_on=date(YEAR + 1, 12, 31),
            document_date=document_date,
            scope=[demo[c] for c in scope],
        )

    return [
        launch("lang-son", CampaignKind.YEARLY, starts_on=date(2026, 1, 1)),
        # launched by its document of December 2025, although it starts in 2026: not counted
        launch(
            "lang-son",
            CampaignKind.MULTI_YEAR,
            starts_on=date(2026, 1, 1),
            document_date=date(2025, 12, 20),
        ),
        launch(
            "lang-son",
            CampaignKind.THEMATIC,
            starts_on=date(2026, 4, 1),
            scope=["so-y-te", "hop-thanh"],
        ),
        launch(
            "lang-son",
            CampaignKind.MULTI_YEAR,
            starts_on=date(2027, 1, 1),
            document_date=date(2026, 11, 2),
        ),
        launch("so-y-te", CampaignKind.YEARLY, starts_on=date(2026, 2, 1)),
        launch("hop-thanh", CampaignKind.THEMATIC, starts_on=date(2026, 3, 1), scope=["hop-thanh"]),
    ]


def counted_here(province) -> dict[tuple[str, str], int]:
    """(row label, column label) → number of campaigns, counted one by one."""
    rows = {
        "Theo cấp phát động: cấp tỉnh": lambda c: c.organisation.level == "province",
        "Theo cấp phát động: sở, ban, ngành, đoàn thể tỉnh": lambda c: (
            c.organisation.level == "department"
        ),
        "Theo cấp phát động: cấp xã": lambda c: c.organisation.level == "commune",
        "Theo cấp phát động: cơ quan, đơn vị cơ sở": lambda c: c.organisation.level == "unit",
        "Theo cấp phát động: cấp huyện (trước 01/7/2025)": lambda c: (
            c.organisation.level == "district"
        ),
        "Theo phạm vi: toàn bộ cơ quan, đơn vị thuộc quyền": lambda c: (
            not any(o.pk != c.organisation_id for o in c.scope.all())
        ),
        "Theo phạm vi: một số cơ quan, đơn vị được xác định": lambda c: any(
            o.pk != c.organisation_id for o in c.scope.all()
        ),
        "Tổng cộng": lambda c: True,
    }
    columns = {
        "Tổng số phong trào thi đua được phát động": lambda c: True,
        "Hình thức: thi đua thường xuyên": lambda c: c.kind in ("yearly", "multi_year"),
        "Hình thức: thi đua theo chuyên đề, theo đợt": lambda c: c.kind == "thematic",
        "Thời gian: hằng năm": lambda c: c.kind == "yearly",
        "Thời gian: nhiều năm (giai đoạn)": lambda c: c.kind == "multi_year",
    }
    launched = [
        c
        for c in Campaign.objects.select_related("organisation")
        if c.organisation.path.startswith(province.path)
        and date(YEAR, 1, 1) <= (c.document_date or c.starts_on) <= date(YEAR, 12, 31)
    ]
    return {
        (row, column): sum(1 for c in launched if in_row(c) and in_column(c))
        for row, in_row in rows.items()
        for column, in_column in columns.items()
    }


def test_form_0601_on_the_page_and_in_its_xlsx_equals_a_count_of_the_campaigns(
    client, demo, campaigns
):
    province = demo["lang-son"]
    expected = counted_here(province)
    assert expected[("Tổng cộng", "Tổng số phong trào thi đua được phát động")] == 5
    assert (
        expected[("Theo phạm vi: một số cơ quan, đơn vị được xác định", "Thời gian: hằng năm")] == 0
    )
    client.force_login(user("lang-son.vanphong"))
    params = {"organisation": province.pk, "year": YEAR}

    page = client.get(URL, params)

    shown = next(i for i in page.context["report_forms"] if i["form"].code == CODE)
    on_page = {
        (row.label, column): cell
        for row in shown["rows"]
        for column, cell in zip(shown["headers"], row.cells, strict=True)
    }
    assert on_page == expected
    html = page.content.decode()
    assert f"{CODE}: Phong trào thi đua" in html
    assert "0601.N/BNV-TĐKT" not in html  # the 2023 version ended on 30/06/2025

    form = ReportForm.objects.get(code=CODE)
    response = client.get(reverse("reports:report_form", args=[form.pk]), params)
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[1]
    assert header[:2] == ["STT", "Chỉ tiêu"]
    in_sheet = {
        (r[1], column): r[i]
        for r in rows[2:]
        if (r[1], "Tổng số phong trào thi đua được phát động") in expected
        for i, column in enumerate(header[2:], start=2)
    }
    assert in_sheet == expected
    assert any("bố cục mặc định" in str(r[1]).lower() for r in rows)  # labelled a default


def test_a_commune_sees_only_its_own_campaigns(client, demo, campaigns):
    commune = demo["hop-thanh"]
    client.force_login(user("hop-thanh.vanphong"))
    page = client.get(URL, {"organisation": commune.pk, "year": YEAR})
    shown = next(i for i in page.context["report_forms"] if i["form"].code == CODE)
    total = next(r for r in shown["rows"] if r.label == "Tổng cộng")
    assert total.cells == (1, 0, 1, 0, 0)
    assert counted_here(commune)[("Tổng cộng", "Tổng số phong trào thi đua được phát động")] == 1


def test_the_2023_version_answers_for_a_2024_period(client, demo):
    first = ReportForm.objects.get(code="0601.N/BNV-TĐKT")
    successor = ReportForm.objects.get(code=CODE)
    assert (first.valid_to, successor.supersedes_id) == (date(2025, 6, 30), first.pk)
    assert not first.layout_confirmed
    assert not successor.layout_confirmed
    client.force_login(user("lang-son.vanphong"))
    page = client.get(URL, {"organisation": demo["lang-son"].pk, "year": 2024})
    codes = [i["form"].code for i in page.context["report_forms"]]
    assert "0601.N/BNV-TĐKT" in codes
    assert CODE not in codes
