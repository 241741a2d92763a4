"""Excel (.xlsx) exports of lists (openpyxl): builders return bytes and write nothing."""

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .documents import nfc

DECISION_HEADER = (
    "STT",
    "Nhóm",
    "Họ và tên / Tên tập thể",
    "Chức vụ",
    "Đơn vị",
    "Hình thức",
    "Thành tích",
)
REGISTRY_HEADER = (
    "STT",
    "Họ và tên / Tên tập thể",
    "Năm sinh",
    "Đơn vị",
    "Hình thức",
    "Năm",
    "Số quyết định",
    "Ngày quyết định",
    "Cơ quan ban hành",
    "Tình trạng",
)
GROUP = {"collective": "Tập thể", "individual": "Cá nhân", "household": "Hộ gia đình"}


def table_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet: a bold title line, the header row (frozen), then the rows as given."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append([nfc(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(header))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append([nfc(v) if isinstance(v, str) else v for v in row])
    sheet.freeze_panes = "A3"
    for column, width in zip("ABCDEFGHIJ", (6, 32, 12, 32, 28, 8, 18, 14, 28, 14), strict=False):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def decision_xlsx(decision) -> bytes:
    """The attached list of a decision (draft or issued), in the order of the Word list."""
    from .documents import decision_doc

    doc = decision_doc(decision)
    rows = [
        (
            i,
            GROUP.get(r.kind, r.kind),
            r.full_name,
            r.position,
            r.organisation,
            r.award,
            r.achievement,
        )
        for i, r in enumerate(doc.rows, start=1)
    ]
    title = f"Danh sách kèm theo {decision.label or 'dự thảo quyết định'} – {decision.title}"
    return table_xlsx(title, DECISION_HEADER, rows)


def registry_xlsx(entries, *, title: str = "Kết quả khen thưởng") -> bytes:
    rows = (
        (
            i,
            e.full_name,
            e.birth_year or "",
            e.organisation_name,
            e.award_name,
            e.year,
            e.decision_label,
            e.decision_date,
            e.issuer_name,
            e.get_status_display(),
        )
        for i, e in enumerate(entries, start=1)
    )
    return table_xlsx(title, REGISTRY_HEADER, rows)
