"""Past awards from an .xlsx file: the downloadable template, and reading a filled one.

Pure (openpyxl, no ORM), on the pattern of dossiers.nominee_import: `template_xlsx()` builds
the template; `read_awards(data, …)` turns a file into cleaned rows and, for every problem, a
`CellError` naming the line Excel shows and the column's header ("Dòng 3, cột Năm: …").
Matching the rows to organisations, award forms and the registry is the service's part
(interchange.services.import_past_awards), which adds its problems to the same list.

Guards as for nominees: MAX_BYTES on the wire, MAX_UNPACKED once unzipped, MAX_ROWS data
rows, only the template's columns read, the workbook streamed (read_only).
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.text import fold

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 80 * 1024 * 1024
MAX_ROWS = 5000
IDENTITY_DIGITS = 12
EARLIEST_YEAR = 1945
SHEET = "Khen thưởng"

COLUMNS = (
    ("Đối tượng", "kind"),
    ("Họ và tên / tên tập thể", "full_name"),
    ("Năm sinh", "birth_year"),
    ("Số định danh", "identity_code"),
    ("Chức vụ", "position"),
    ("Đơn vị công tác", "organisation_name"),
    ("Mã đơn vị", "unit_code"),
    ("Mã hình thức", "award_code"),
    ("Năm", "year"),
    ("Loại khen thưởng", "awarding_kind"),
    ("Số quyết định", "decision_label"),
    ("Ngày quyết định", "decision_date"),
    ("Mã cơ quan ban hành", "issuer_code"),
    ("Tóm tắt thành tích", "achievement"),
)
REQUIRED = (
    "kind",
    "full_name",
    "unit_code",
    "award_code",
    "year",
    "decision_label",
    "decision_date",
    "issuer_code",
)
HEADER_OF = {name: header for header, name in COLUMNS}
_BY_HEADER = {fold(header): name for header, name in COLUMNS}
MAX_TEXT = {
    "full_name": 255,
    "position": 255,
    "organisation_name": 255,
    "identity_code": 32,
    "unit_code": 64,
    "award_code": 32,
    "decision_label": 64,
    "issuer_code": 64,
    "achievement": 5000,
}

KIND_WORDS = {"ca nhan": "individual", "tap the": "collective", "ho gia dinh": "household"}
AWARDING_WORDS = {
    "": "annual",
    "thuong xuyen": "annual",
    "chuyen de": "thematic",
    "theo dot": "thematic",
    "chuyen de, theo dot": "thematic",
    "dot xuat": "ad_hoc",
}
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # the field name; `header` gives what the user sees
    message: str

    @property
    def header(self) -> str:
        return HEADER_OF.get(self.column, self.column)

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        return str(
            _("Dòng %(line)s, cột %(column)s: %(message)s")
            % {"line": self.row, "column": self.header, "message": self.message}
        )


@dataclass
class ReadResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def template_xlsx() -> bytes:
    """The template: header row (bold, frozen), drop-downs for the coded columns, text
    format for the identity number, and a sheet explaining each column."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([header for header, _name in COLUMNS])
    widths = (12, 30, 10, 16, 20, 28, 18, 16, 8, 16, 16, 14, 18, 40)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3F2F1")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    last = MAX_ROWS + 1
    for column, formula in (
        ("A", '"Cá nhân,Tập thể,Hộ gia đình"'),
        ("J", '"Thường xuyên,Chuyên đề,Đột xuất"'),
    ):
        rule = DataValidation(type="list", formula1=formula, allow_blank=True)
        rule.add(f"{column}2:{column}{last}")
        sheet.add_data_validation(rule)
    sheet.column_dimensions["D"].number_format = "@"
    guide = book.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 100
    for line in (
        ("Cột", "Cách ghi"),
        ("Đối tượng", "Bắt buộc: Cá nhân, Tập thể hoặc Hộ gia đình."),
        ("Họ và tên / tên tập thể", "Bắt buộc."),
        ("Năm sinh", "Cá nhân: 4 chữ số. Tập thể, hộ gia đình: để trống."),
        ("Số định danh", f"Cá nhân, nếu biết: số căn cước, đúng {IDENTITY_DIGITS} chữ số."),
        ("Đơn vị công tác", "Tên đơn vị ghi trên quyết định; để trống: tên của Mã đơn vị."),
        (
            "Mã đơn vị",
            "Bắt buộc: mã của đơn vị trong hệ thống, kể cả đơn vị đã giải thể, sáp nhập "
            "(ví dụ huyện cũ trước 01/07/2025).",
        ),
        ("Mã hình thức", "Bắt buộc: mã hình thức khen thưởng (ví dụ cstdcs, ldtt)."),
        ("Năm", "Bắt buộc: năm của thành tích (4 chữ số)."),
        ("Loại khen thưởng", "Thường xuyên (mặc định), Chuyên đề hoặc Đột xuất."),
        ("Số quyết định", "Bắt buộc, ví dụ 125/QĐ-UBND."),
        ("Ngày quyết định", "Bắt buộc: ngày/tháng/năm, ví dụ 20/12/2023."),
        ("Mã cơ quan ban hành", "Bắt buộc: mã cơ quan đã ký quyết định."),
        ("Giới hạn", f"Tối đa {MAX_ROWS} dòng. Dòng 1 là tiêu đề, dữ liệu từ dòng 2."),
        ("Khi có lỗi", "Không dòng nào được nhập; trang liệt kê lỗi theo dòng và cột."),
    ):
        guide.append(line)
    for cell in guide[1]:
        cell.font = Font(bold=True)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _year(text: str, value):
    if isinstance(value, datetime):
        return value.year
    if text.isdigit() and len(text) == 4:
        return int(text)
    return None


def _date(text: str, value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.match(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _cell(name: str, value, line: int, errors: list[CellError], today: date):
    text = _text(value)

    def bad(message) -> None:
        errors.append(CellError(line, name, str(message)))

    if not text and name in REQUIRED:
        bad(_("bắt buộc nhập."))
        return None
    if name == "kind":
        kind = KIND_WORDS.get(fold(text))
        if kind is None:
            bad(_("chỉ là “Cá nhân”, “Tập thể” hoặc “Hộ gia đình”."))
        return kind
    if name == "awarding_kind":
        kind = AWARDING_WORDS.get(fold(text))
        if kind is None:
            bad(_("chỉ là “Thường xuyên”, “Chuyên đề” hoặc “Đột xuất”."))
        return kind
    if name in ("birth_year", "year"):
        if not text:
            return None
        year = _year(text, value)
        if year is None or not EARLIEST_YEAR - 100 * (name == "birth_year") <= year <= today.year:
            bad(
                _("phải là một năm có 4 chữ số, không sau năm nay (đang có “%(v)s”).") % {"v": text}
            )
            return None
        return year
    if name == "decision_date":
        day = _date(text, value)
        if day is None:
            bad(_("phải là ngày/tháng/năm, ví dụ 20/12/2023 (đang có “%(v)s”).") % {"v": text})
        elif day > today:
            bad(_("ngày %(d)s chưa tới.") % {"d": day.strftime("%d/%m/%Y")})
            return None
        return day
    if name == "identity_code":
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = text.zfill(IDENTITY_DIGITS)  # typed as a number: leading zeros lost
        if text and not (text.isdigit() and len(text) == IDENTITY_DIGITS):
            bad(
                _("phải có đúng %(n)s chữ số (đang có “%(v)s”).")
                % {"n": IDENTITY_DIGITS, "v": text}
            )
        return text
    if name in ("unit_code", "issuer_code", "award_code"):
        text = text.casefold()
    limit = MAX_TEXT.get(name, 255)
    if len(text) > limit:
        bad(_("dài quá %(n)s ký tự (đang có %(len)s).") % {"n": limit, "len": len(text)})
        return text[:limit]
    return text


def _row_rules(values: dict, line: int, errors: list[CellError]) -> None:
    """Rules across cells of one row (only on cells read without a problem)."""
    seen = {e.column for e in errors if e.row == line}
    kind = values.get("kind")
    if kind and kind != "individual":
        for name in ("birth_year", "identity_code"):
            if values.get(name) and name not in seen:
                errors.append(
                    CellError(line, name, str(_("chỉ ghi cho cá nhân; tập thể, hộ để trống.")))
                )
    born, year = values.get("birth_year"), values.get("year")
    if kind == "individual" and born and year and born > year - 15 and "birth_year" not in seen:
        errors.append(
            CellError(
                line,
                "birth_year",
                str(
                    _("năm sinh %(b)s không hợp với khen thưởng năm %(y)s.")
                    % {"b": born, "y": year}
                ),
            )
        )
    year, day = values.get("year"), values.get("decision_date")
    if year and day and day.year < year and "decision_date" not in seen:
        errors.append(
            CellError(
                line,
                "decision_date",
                str(
                    _("quyết định ngày %(d)s trước năm của thành tích (%(y)s).")
                    % {"d": day.strftime("%d/%m/%Y"), "y": year}
                ),
            )
        )


def read_awards(data: bytes, *, today: date, max_rows: int = MAX_ROWS) -> ReadResult:
    """The rows of a filled template, cleaned, and every problem by row and column."""
    result = ReadResult()

    def whole_file(message) -> ReadResult:
        result.errors.append(CellError(0, "", str(message)))
        return result

    if len(data) > MAX_BYTES:
        return whole_file(
            _("Tệp lớn quá %(mb)s MB: hãy chia thành nhiều tệp.") % {"mb": MAX_BYTES // 2**20}
        )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            return whole_file(_("Tệp: nội dung giải nén quá lớn, không đọc."))
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:
        return whole_file(_("Tệp: không đọc được. Hãy dùng tệp .xlsx tải từ nút “Tải tệp mẫu”."))
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        lines = sheet.iter_rows(max_col=len(COLUMNS) + 5, values_only=True)
        header = next(lines, ())
        columns: dict[int, str] = {}
        for index, value in enumerate(header):
            name = _BY_HEADER.get(fold(_text(value)))
            if name and name not in columns.values():
                columns[index] = name
        missing = [HEADER_OF[n] for n in REQUIRED if n not in columns.values()]
        if missing:
            return whole_file(
                _("Dòng 1: thiếu cột %(columns)s. Hãy dùng tệp mẫu.")
                % {"columns": ", ".join(f"“{m}”" for m in missing)}
            )
        count = 0
        for line, cells in enumerate(lines, start=2):
            raw = {name: (cells[i] if i < len(cells) else None) for i, name in columns.items()}
            if all(_text(v) == "" for v in raw.values()):
                continue
            count += 1
            if count > max_rows:
                result.rows.clear()
                return whole_file(
                    _("Tệp có hơn %(max)s dòng dữ liệu: hãy chia thành nhiều tệp.")
                    % {"max": max_rows}
                )
            values: dict = {"row": line}
            for name in HEADER_OF:
                values[name] = _cell(name, raw.get(name), line, result.errors, today)
            _row_rules(values, line, result.errors)
            result.rows.append(values)
        if count == 0:
            return whole_file(_("Tệp: không có dòng dữ liệu nào (dữ liệu bắt đầu ở dòng 2)."))
    finally:
        book.close()
    return result
