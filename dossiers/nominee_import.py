"""Nominees from an .xlsx file: the downloadable template, and reading a filled one.

Pure (openpyxl, no ORM): `template_xlsx()` builds the template; `read_nominees(data, …)`
turns a file into cleaned rows and, for every problem, "Dòng 3, cột Năm sinh: …" with the
line number Excel shows and the column's header. The rows are checked with the same rules
as the nominees table (dossiers.nominee_rules); dossiers.services.import_nominees checks
them again and writes them all, or none, in one transaction.

Guards against hostile or mistaken files: at most MAX_BYTES on the wire, MAX_UNPACKED once
unzipped (an .xlsx is a zip: a small file can unpack to gigabytes), MAX_ROWS data rows (one
transaction, one page of errors), only the template's columns are read, and the workbook is
streamed (read_only) rather than loaded whole.
"""

import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.text import fold

from .nominee_rules import (
    COLLECTIVE,
    HOUSEHOLD,
    IDENTITY_DIGITS,
    INDIVIDUAL,
    birth_year_range,
    check_nominee,
)

MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED = 40 * 1024 * 1024
MAX_ROWS = 500  # as dossiers.services.MAX_IMPORT_ROWS
MAX_TEXT = {"full_name": 255, "position": 255, "organisation_name": 255, "identity_code": 32}
MAX_SUMMARY = 5000
SHEET = "Danh sách"

# The template's columns, in order: the header (Vietnamese, as the brief and the forms of
# Circular 15/2025 name them) and the field it fills. The file's headers are matched folded
# (case, marks and spaces ignored), so "nam sinh" or "NĂM SINH" still find their column.
COLUMNS = (
    ("Đối tượng", "kind"),
    ("Họ và tên / tên tập thể", "full_name"),
    ("Năm sinh", "birth_year"),
    ("Giới tính", "gender"),
    ("Chức vụ", "position"),
    ("Đơn vị công tác", "organisation_name"),
    ("Số định danh", "identity_code"),
    ("Lao động trực tiếp", "is_direct_worker"),
    ("Tóm tắt thành tích", "achievement_summary"),
    ("Tỷ lệ nữ (%)", "women_share"),  # collectives only (Decree 152/2025 art. 4 §6)
)
REQUIRED_COLUMNS = ("kind", "full_name", "achievement_summary")
HEADER_OF = {name: header for header, name in COLUMNS}
_BY_HEADER = {fold(header): name for header, name in COLUMNS}

KIND_WORDS = {"ca nhan": INDIVIDUAL, "tap the": COLLECTIVE, "ho gia dinh": HOUSEHOLD}
KIND_WORDS |= {code: code for code in (INDIVIDUAL, COLLECTIVE, HOUSEHOLD)}
GENDER_WORDS = {"nam": "male", "nu": "female", "male": "male", "female": "female"}
YES = {"co", "x", "1", "true", "yes", "dung"}
NO = {"", "khong", "0", "false", "no"}


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)  # cleaned values, each with its "row"
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _at(line: int, name: str, message) -> str:
    return str(
        _("Dòng %(line)s, cột %(column)s: %(message)s")
        % {"line": line, "column": HEADER_OF[name], "message": message}
    )


def template_xlsx() -> bytes:
    """The template: the header row (bold, frozen), drop-down lists for the coded columns,
    text cells for the identity number (Excel drops a number's leading zeros), and a
    second sheet that explains each column."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([header for header, _name in COLUMNS])
    widths = (14, 32, 10, 10, 22, 30, 16, 12, 50, 12)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3F2F1")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    last = MAX_ROWS + 1
    lists = (
        ("A", '"Cá nhân,Tập thể,Hộ gia đình"'),
        ("D", '"Nam,Nữ"'),
        ("H", '"Có,Không"'),
    )
    for column, formula in lists:
        rule = DataValidation(type="list", formula1=formula, allow_blank=True)
        rule.add(f"{column}2:{column}{last}")
        sheet.add_data_validation(rule)
    # The whole column as text (no cells made: a user's rows still start at line 2), so
    # 001085000123 keeps its zeros.
    sheet.column_dimensions["G"].number_format = "@"
    earliest, latest = birth_year_range(datetime.now().year)  # noqa: DTZ005 -- a year only
    guide = book.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 26
    guide.column_dimensions["B"].width = 90
    lines = (
        ("Cột", "Cách ghi"),
        ("Đối tượng", "Bắt buộc: Cá nhân, Tập thể hoặc Hộ gia đình."),
        ("Họ và tên / tên tập thể", "Bắt buộc."),
        (
            "Năm sinh",
            f"Cá nhân: 4 chữ số, từ {earliest} đến {latest}. Tập thể, hộ gia đình: để trống.",
        ),
        ("Giới tính", "Cá nhân: Nam hoặc Nữ. Tập thể, hộ gia đình: để trống."),
        ("Chức vụ, Đơn vị công tác", "Không bắt buộc."),
        ("Số định danh", f"Cá nhân: số căn cước công dân, đúng {IDENTITY_DIGITS} chữ số."),
        ("Lao động trực tiếp", "Có hoặc Không (để trống là Không)."),
        ("Tóm tắt thành tích", "Bắt buộc."),
        ("Tỷ lệ nữ (%)", "Chỉ với tập thể: số từ 0 đến 100."),
        ("Giới hạn", f"Tối đa {MAX_ROWS} dòng. Dòng 1 là tiêu đề, dữ liệu từ dòng 2."),
        ("Khi có lỗi", "Không dòng nào được nhập; trang liệt kê lỗi theo dòng và cột."),
    )
    for line in lines:
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


def _cell(name: str, value, number_format: str, line: int, errors: list[str]):
    """One cell's cleaned value for `name`, or None after recording its problem."""
    text = _text(value)
    if name == "kind":
        if not text:
            return ""
        kind = KIND_WORDS.get(fold(text))
        if kind is None:
            errors.append(_at(line, name, _("chỉ là “Cá nhân”, “Tập thể” hoặc “Hộ gia đình”.")))
        return kind or text
    if name == "gender":
        if not text:
            return ""
        gender = GENDER_WORDS.get(fold(text))
        if gender is None:
            errors.append(_at(line, name, _("chỉ là “Nam” hoặc “Nữ”.")))
        return gender or ""
    if name == "birth_year":
        if not text:
            return None
        if isinstance(value, datetime):  # a date typed in the cell: its year
            return value.year
        if not text.isdigit():
            errors.append(
                _at(line, name, _("phải là một năm, ví dụ 1985 (đang có “%(v)s”).") % {"v": text})
            )
            return None
        return int(text)
    if name == "is_direct_worker":
        if value is True or value is False:
            return value
        word = fold(text)
        if word in YES:
            return True
        if word not in NO:
            errors.append(_at(line, name, _("chỉ là “Có” hoặc “Không”.")))
        return False
    if name == "women_share":
        if not text:
            return None
        try:
            share = Decimal(text.rstrip("%").strip().replace(",", "."))
        except InvalidOperation:
            errors.append(_at(line, name, _("phải là số từ 0 đến 100.")))
            return None
        if isinstance(value, int | float) and "%" in (number_format or ""):
            share *= 100  # a cell formatted as percent holds 0.7 for 70 %
        return share.quantize(Decimal("0.01"))
    typed_as_number = isinstance(value, int | float) and not isinstance(value, bool)
    if name == "identity_code" and typed_as_number and IDENTITY_DIGITS - 2 <= len(text) < 12:
        # Typed as a number, 001085000123 became 1085000123: the province code's leading
        # zeros (001–096) are restored, never more than the two a code can lose.
        text = text.zfill(IDENTITY_DIGITS)
    limit = MAX_TEXT.get(name, MAX_SUMMARY)
    if len(text) > limit:
        errors.append(
            _at(
                line,
                name,
                _("dài quá %(n)s ký tự (đang có %(len)s).") % {"n": limit, "len": len(text)},
            )
        )
        return text[:limit]
    return text


def read_nominees(data: bytes, *, current_year: int, max_rows: int = MAX_ROWS) -> ImportResult:
    """The rows of a filled template, cleaned, and every problem by line and column.

    Nothing is half-read: with any error the caller imports nothing (`result.ok` is false).
    """
    result = ImportResult()
    if len(data) > MAX_BYTES:
        result.errors.append(
            str(_("Tệp lớn quá %(mb)s MB: hãy chia thành nhiều tệp.") % {"mb": MAX_BYTES // 2**20})
        )
        return result
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            result.errors.append(str(_("Tệp: nội dung giải nén quá lớn, không đọc.")))
            return result
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:
        result.errors.append(
            str(_("Tệp: không đọc được. Hãy dùng tệp .xlsx tải từ nút “Tải tệp mẫu”."))
        )
        return result
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        _read_sheet(sheet, result, current_year=current_year, max_rows=max_rows)
    finally:
        book.close()
    return result


def _read_sheet(sheet, result: ImportResult, *, current_year: int, max_rows: int) -> None:
    lines = sheet.iter_rows(max_col=len(COLUMNS) + 5)
    header = next(lines, ())
    columns = {}
    for index, cell in enumerate(header):
        name = _BY_HEADER.get(fold(_text(cell.value)))
        if name and name not in columns.values():
            columns[index] = name
    missing = [HEADER_OF[n] for n in REQUIRED_COLUMNS if n not in columns.values()]
    if missing:
        result.errors.append(
            str(
                _("Dòng 1: thiếu cột %(columns)s. Hãy dùng tệp mẫu.")
                % {"columns": ", ".join(f"“{m}”" for m in missing)}
            )
        )
        return
    count = 0
    for line, cells in enumerate(lines, start=2):
        raw = {name: (cells[i] if i < len(cells) else None) for i, name in columns.items()}
        if all(_text(getattr(c, "value", None)) == "" for c in raw.values()):
            continue  # an empty line, as a spreadsheet often ends with
        count += 1
        if count > max_rows:
            result.rows.clear()
            result.errors.append(
                str(
                    _("Tệp có hơn %(max)s dòng dữ liệu: hãy chia thành nhiều tệp.")
                    % {"max": max_rows}
                )
            )
            return
        errors: list[str] = []
        values: dict = {"row": line}
        unread = set()
        for name in HEADER_OF:
            cell = raw.get(name)
            value = getattr(cell, "value", None)
            number_format = getattr(cell, "number_format", "") or ""
            before = len(errors)
            values[name] = _cell(name, value, number_format, line, errors)
            if len(errors) > before:
                unread.add(name)
        for problem in check_nominee(values, current_year=current_year):
            if problem.field not in unread:  # a cell that could not be read is told once
                errors.append(_at(line, problem.field, problem.message))
        result.errors.extend(errors)
        result.rows.append(values)
    if count == 0:
        result.errors.append(str(_("Tệp: không có dòng dữ liệu nào (dữ liệu bắt đầu ở dòng 2).")))
