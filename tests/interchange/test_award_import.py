"""Past awards from .xlsx: 1 000 rows with a few bad cells import nothing and name every bad
cell; fixed, all are imported and eligibility reads them. Dissolved districts match."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from core.errors import TransitionRefused
from interchange import award_import, services
from registry import checks
from registry.models import RegistryEntry
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)
HEADERS = [h for h, _n in award_import.COLUMNS]
STAR = "001085099001"  # three consecutive CSTĐCS: may be proposed for CSTĐ tỉnh


def row(**values) -> list:
    base = {
        "Đối tượng": "Cá nhân",
        "Họ và tên / tên tập thể": "Nguyễn Văn An",
        "Năm sinh": 1980,
        "Số định danh": "",
        "Chức vụ": "Giáo viên",
        "Đơn vị công tác": "Trường Tiểu học Hợp Thành",
        "Mã đơn vị": "th-hop-thanh",
        "Mã hình thức": "ldtt",
        "Năm": 2023,
        "Loại khen thưởng": "Thường xuyên",
        "Số quyết định": "125/QĐ-UBND",
        "Ngày quyết định": "20/12/2023",
        "Mã cơ quan ban hành": "hop-thanh",
        "Tóm tắt thành tích": "",
    }
    base.update(values)
    return [base[h] for h in HEADERS]


def thousand_rows() -> list[list]:
    """250 people × 4 years of LĐTT (the district era's awards issued by Huyện Cao Lộc,
    dissolved 30/06/2025), less 3 rows, plus the three CSTĐCS of STAR: 1 000 rows."""
    rows = []
    for person in range(250):
        for year in (2021, 2022, 2023, 2024):
            rows.append(
                row(
                    **{
                        "Họ và tên / tên tập thể": f"Trần Thị Hoa {person:03d}",
                        "Năm sinh": 1970 + person % 30,
                        "Số định danh": f"0010851{person:05d}",
                        "Năm": year,
                        "Số quyết định": f"{100 + year - 2020}/QĐ-UBND",
                        "Ngày quyết định": f"15/12/{year}",
                        "Mã cơ quan ban hành": "cao-loc" if year <= 2024 else "hop-thanh",
                    }
                )
            )
    rows = rows[:997]
    for year in (2022, 2023, 2024):
        rows.append(
            row(
                **{
                    "Họ và tên / tên tập thể": "Lê Thị Mai",
                    "Năm sinh": 1984,
                    "Số định danh": STAR,
                    "Mã hình thức": "cstdcs",
                    "Năm": year,
                    "Số quyết định": f"{20 + year - 2020}/QĐ-UBND",
                    "Ngày quyết định": f"10/01/{year + 1}",
                    "Mã cơ quan ban hành": "cao-loc" if year < 2024 else "hop-thanh",
                }
            )
        )
    return rows


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = award_import.SHEET
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# The bad cells: (index in the list, column header, new value). Excel line = index + 2.
BAD = [
    (10, "Mã đơn vị", "truong-khong-co"),
    (200, "Năm", "20x3"),
    (450, "Ngày quyết định", "31/02/2023"),
    (700, "Mã hình thức", "khong-co-hinh-thuc"),
    (901, "Số định danh", "12345"),
    (998, "Mã cơ quan ban hành", "so-y-te"),  # a department: outside the commune's reach
]


def broken() -> list[list]:
    rows = [list(r) for r in thousand_rows()]
    for index, header, value in BAD:
        rows[index][HEADERS.index(header)] = value
    return rows


def cstd_tinh_dossier(demo):
    return f.make_draft(
        demo["th-hop-thanh"],
        "cstd-tinh",
        year=2025,
        nominee_fields=[
            {
                "kind": "individual",
                "full_name": "Lê Thị Mai",
                "birth_year": 1984,
                "gender": "female",
                "position": "Giáo viên",
                "organisation_name": "Trường Tiểu học Hợp Thành",
                "identity_code": STAR,
                "achievement_summary": "Sáng kiến có phạm vi ảnh hưởng toàn tỉnh.",
            }
        ],
    )


def blocking(dossier):
    return checks.blocking_problems(dossier, competing=dossier.competing_nominees())


def test_a_thousand_awards_with_bad_cells_import_nothing_then_all_and_eligibility_reads_them(
    demo,
):
    clerk = f.user("hop-thanh.vanphong")  # the commune's secretariat
    dossier = cstd_tinh_dossier(demo)
    assert [p.evidence["missing"] for p in blocking(dossier)] == [[2022, 2023, 2024]]
    audit_before = AuditEvent.objects.count()

    outcome = services.import_past_awards(xlsx(broken()), by=clerk, dry_run=False, today=TODAY)

    named = {(e.row, e.header) for e in outcome.errors}
    assert named == {(index + 2, header) for index, header, _v in BAD}
    assert len(outcome.errors) == len(BAD)
    texts = outcome.messages()
    assert "Dòng 12, cột Mã đơn vị: không có đơn vị nào mã “truong-khong-co”." in texts
    assert any(t.startswith("Dòng 1000, cột Mã cơ quan ban hành: “Sở Y tế") for t in texts)
    assert RegistryEntry.objects.count() == 0
    assert AuditEvent.objects.count() == audit_before

    # The dry run of the fixed file: everything matched, nothing written.
    fixed = xlsx(thousand_rows())
    trial = services.import_past_awards(fixed, by=clerk, dry_run=True, today=TODAY)
    assert trial.errors == []
    assert len(trial.planned) == 1000
    assert trial.planned[0]["unit_note"] == ""
    assert trial.planned[0]["issuer_note"].startswith("hết hiệu lực sau 30/06/2025")
    assert RegistryEntry.objects.count() == 0

    done = services.import_past_awards(fixed, by=clerk, dry_run=False, today=TODAY)
    assert done.errors == []
    assert done.created == 1000
    assert RegistryEntry.objects.count() == 1000
    assert RegistryEntry.objects.filter(issuer__code="cao-loc").count() == 997 + 2
    assert AuditEvent.objects.filter(action="import_award").count() == 1000

    assert blocking(dossier) == []  # eligibility reads the imported CSTĐCS chain

    # The same file again: every row is an award already on record; nothing is added.
    again = services.import_past_awards(fixed, by=clerk, dry_run=False, today=TODAY)
    assert len(again.errors) == 1000
    assert again.created == 0
    assert again.messages()[0] == (
        "Dòng 2, cột Mã hình thức: Trần Thị Hoa 000 đã có Danh hiệu Lao động tiên tiến "
        "năm 2021 trong sổ (101/QĐ-UBND)."
    )
    assert RegistryEntry.objects.count() == 1000


def test_a_row_repeated_in_the_file_is_named_with_the_first_row(demo):
    rows = [row(), row(**{"Chức vụ": "Tổ trưởng"})]
    outcome = services.import_past_awards(
        xlsx(rows), by=f.user("hop-thanh.vanphong"), dry_run=False, today=TODAY
    )
    assert outcome.messages() == ["Dòng 3, cột Mã hình thức: trùng với dòng 2 của tệp."]
    assert RegistryEntry.objects.count() == 0


def test_a_commune_reaches_its_former_district_but_not_another(demo):
    rows = [
        row(**{"Mã cơ quan ban hành": "cao-loc"}),  # Hợp Thành's district until 30/06/2025
        row(**{"Mã cơ quan ban hành": "van-quan", "Năm": 2022, "Ngày quyết định": "01/12/2022"}),
    ]
    outcome = services.import_past_awards(
        xlsx(rows), by=f.user("hop-thanh.vanphong"), dry_run=True, today=TODAY
    )
    assert [(e.row, e.header) for e in outcome.errors] == [(3, "Mã cơ quan ban hành")]


def test_who_keeps_no_registry_is_refused_and_the_template_reads_back(demo):
    with pytest.raises(TransitionRefused):
        services.import_past_awards(
            xlsx([row()]), by=f.user("th-hop-thanh.thiduakhenthuong"), dry_run=True
        )
    book = load_workbook(BytesIO(award_import.template_xlsx()))
    assert [c.value for c in book[award_import.SHEET][1]] == HEADERS
    empty = award_import.read_awards(award_import.template_xlsx(), today=TODAY)
    assert [str(e) for e in empty.errors] == [
        "Tệp: không có dòng dữ liệu nào (dữ liệu bắt đầu ở dòng 2)."
    ]
