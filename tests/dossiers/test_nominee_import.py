"""Nominees from the .xlsx template: all rows or none, errors by line and column, guards."""

import zipfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from audit.models import AuditEvent
from core.errors import DomainError
from dossiers import nominee_import, services
from dossiers.models import Nominee
from tests import factories as f

pytestmark = pytest.mark.django_db

UNIT = "th-hop-thanh"
PROPOSER = f"{UNIT}.thiduakhenthuong"
HEADERS = [
    "Đối tượng",
    "Họ và tên / tên tập thể",
    "Năm sinh",
    "Giới tính",
    "Chức vụ",
    "Đơn vị công tác",
    "Số định danh",
    "Lao động trực tiếp",
    "Tóm tắt thành tích",
]
COLLECTIVE = ["Tập thể", "Tổ chuyên môn Khối 5", None, None, None, "Trường TH Hợp Thành"]
COLLECTIVE += [None, "Không", "Tổ lao động xuất sắc năm học 2025–2026."]


def individual(name: str, year=1984, identity="020184000123") -> list:
    return ["Cá nhân", name, year, "Nữ", "Giáo viên", "Trường TH Hợp Thành", identity, "Có", "Tốt"]


def filled(*lines: list) -> bytes:
    """The downloaded template, filled in as a user would (lines from row 2)."""
    book = load_workbook(BytesIO(nominee_import.template_xlsx()))
    sheet = book["Danh sách"]
    for line in lines:
        sheet.append(line)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def draft(demo):
    return f.make_draft(demo[UNIT], "bang-khen-tinh", nominees=0, documents=False)


def post(client, dossier, data: bytes, name="danh-sach.xlsx"):
    client.force_login(f.user(PROPOSER))
    return client.post(
        f"/ho-so/{dossier.pk}/nguoi-duoc-de-nghi/nhap/",
        {"file": SimpleUploadedFile(name, data)},
    )


def test_the_template_has_the_vietnamese_header_row(client, draft):
    client.force_login(f.user(PROPOSER))
    response = client.get(f"/ho-so/{draft.pk}/nguoi-duoc-de-nghi/mau.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content))["Danh sách"]
    header = [c.value for c in sheet[1]]
    assert header[: len(HEADERS)] == HEADERS
    assert header[len(HEADERS) :] == ["Tỷ lệ nữ (%)"]  # collectives' share of women


def test_a_collective_and_two_individuals_import_three_audited_nominees(client, draft):
    data = filled(COLLECTIVE, individual("Hoàng Thị Thu Trang"), individual("Lăng Thị Hoa"))
    response = post(client, draft, data)
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so/{draft.pk}/sua/"
    nominees = {n.full_name: n for n in draft.nominees.all()}
    assert set(nominees) == {"Tổ chuyên môn Khối 5", "Hoàng Thị Thu Trang", "Lăng Thị Hoa"}
    trang = nominees["Hoàng Thị Thu Trang"]
    assert (trang.kind, trang.birth_year, trang.gender) == ("individual", 1984, "female")
    assert trang.is_direct_worker is True
    assert nominees["Tổ chuyên môn Khối 5"].kind == "collective"
    assert AuditEvent.objects.filter(action="add_nominee").count() == 3
    assert AuditEvent.objects.get(action="import_nominees").data == {"count": 3}


def test_errors_in_rows_3_and_5_import_nothing_and_name_line_and_column(client, draft):
    data = filled(
        individual("Nguyễn Văn An"),
        individual("Nguyễn Văn Bình", year=1930),  # line 3
        individual("Nguyễn Văn Cường"),
        individual("Nguyễn Văn Dũng", identity="12345"),  # line 5
    )
    response = post(client, draft, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert Nominee.objects.count() == 0
    assert not AuditEvent.objects.filter(action__in=["add_nominee", "import_nominees"]).exists()
    assert "Dòng 3, cột Năm sinh: 1930 không hợp lý" in page
    assert "Dòng 5, cột Số định danh: số căn cước công dân phải gồm đúng 12 chữ số" in page
    assert "Dòng 2," not in page
    assert "Dòng 4," not in page


def test_a_form_the_award_does_not_take_is_refused_by_row(client, demo):
    dossier = f.make_draft(demo[UNIT], "ttldtt", nominees=0, documents=False)  # collectives
    page = post(client, dossier, filled(COLLECTIVE, individual("A Lý"))).content.decode()
    assert "Dòng 3, cột Đối tượng:" in page
    assert "chỉ dành cho tập thể" in page
    assert dossier.nominees.count() == 0


def test_a_late_refusal_rolls_back_the_rows_already_added(draft):
    """The account check runs row by row while writing: row 3's stranger undoes rows 1–2."""
    rows = nominee_import.read_nominees(
        filled(COLLECTIVE, individual("Hoàng Thị Thu Trang"), individual("Lăng Thị Hoa")),
        current_year=2026,
    ).rows
    rows[2]["user"] = f.user("lang-son.vanphong")
    with pytest.raises(DomainError) as refused:
        services.import_nominees(draft.pk, by=f.user(PROPOSER), rows=rows)
    assert "Dòng 4: Tài khoản người dùng" in str(refused.value)
    assert Nominee.objects.count() == 0


def test_numbers_typed_for_text_and_percent_cells_are_read_as_meant():
    data = filled(["Cá nhân", "Hà Văn Sơn", "1990", "nam", None, None, 20190000123, "x", "Tốt"])
    result = nominee_import.read_nominees(data, current_year=2026)
    assert result.errors == []
    row = result.rows[0]
    assert row["identity_code"] == "020190000123"  # the zero Excel dropped, restored
    assert (row["birth_year"], row["gender"], row["is_direct_worker"]) == (1990, "male", True)


def test_row_cap_size_cap_and_unreadable_files_are_refused_plainly(client, draft):
    four = filled(*(individual(f"Người {i}") for i in range(4)))
    capped = nominee_import.read_nominees(four, current_year=2026, max_rows=3)
    assert capped.rows == []
    assert capped.errors == ["Tệp có hơn 3 dòng dữ liệu: hãy chia thành nhiều tệp."]
    with pytest.raises(DomainError) as refused:
        services.import_nominees(
            draft.pk, by=f.user(PROPOSER), rows=[{}] * (services.MAX_IMPORT_ROWS + 1)
        )
    assert refused.value.code == "too_many_rows"

    bomb = BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (nominee_import.MAX_UNPACKED + 1))
    page = post(client, draft, bomb.getvalue()).content.decode()
    assert "nội dung giải nén quá lớn" in page

    response = post(client, draft, b"not a spreadsheet", name="danh-sach.xlsx")
    assert response.status_code == 200
    assert "không đọc được" in response.content.decode()

    big = post(client, draft, b"0" * (nominee_import.MAX_BYTES + 1))
    assert "Tệp lớn quá 2 MB" in big.content.decode()
    assert Nominee.objects.count() == 0


def test_a_file_without_the_required_columns_names_them(client, draft):
    book = load_workbook(BytesIO(nominee_import.template_xlsx()))
    sheet = book["Danh sách"]
    sheet["A1"] = "Loại"
    sheet.append(individual("Hoàng Văn Nam"))
    out = BytesIO()
    book.save(out)
    page = post(client, draft, out.getvalue()).content.decode()
    assert "Dòng 1: thiếu cột “Đối tượng”" in page


def test_another_units_proposer_cannot_import(client, draft):
    client.force_login(f.user("thcs-tan-doan.thiduakhenthuong"))
    response = client.post(
        f"/ho-so/{draft.pk}/nguoi-duoc-de-nghi/nhap/",
        {"file": SimpleUploadedFile("a.xlsx", filled(COLLECTIVE))},
    )
    assert response.status_code == 404
    assert Nominee.objects.count() == 0
