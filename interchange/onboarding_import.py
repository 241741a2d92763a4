"""Onboarding a commune from .xlsx: its organisations (sheet "Đơn vị") and users with their
roles (sheet "Người dùng"). Pure (openpyxl, no ORM): the template and the reading; the
matching and writing are interchange.services.onboard_from_xlsx's.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from core.text import fold
from organisations.models import Level, UnitKind
from organisations.roles import Role

MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED = 40 * 1024 * 1024
MAX_ROWS = 2000
ORG_SHEET = "Đơn vị"
USER_SHEET = "Người dùng"

ORG_COLUMNS = (
    ("Mã đơn vị", "code"),
    ("Tên đơn vị", "name"),
    ("Cấp", "level"),
    ("Loại hình", "kind"),
    ("Mã đơn vị cấp trên", "parent_code"),
    ("Hiệu lực từ ngày", "valid_from"),
    ("Có Hội đồng TĐKT", "has_council"),
    ("Địa danh ghi trên văn bản", "place_name"),
)
USER_COLUMNS = (
    ("Tên đăng nhập", "username"),
    ("Họ và tên đệm", "last_name"),
    ("Tên", "first_name"),
    ("Thư điện tử", "email"),
    ("Mã đơn vị", "organisation_code"),
    ("Vai trò", "role"),
    ("Chức vụ", "title"),
)
ORG_REQUIRED = ("code", "name", "level", "parent_code")
USER_REQUIRED = ("username", "first_name", "organisation_code", "role")
HEADERS = {
    "org": {n: h for h, n in ORG_COLUMNS},
    "user": {n: h for h, n in USER_COLUMNS},
}
SHEET_LABEL = {"org": ORG_SHEET, "user": USER_SHEET}

LEVEL_WORDS = {fold(str(label)): value for value, label in Level.choices}
LEVEL_WORDS |= {"xa": Level.COMMUNE, "phuong": Level.COMMUNE, "don vi": Level.UNIT}
LEVEL_WORDS |= {value: value for value in Level.values}
KIND_WORDS = {fold(str(label)): value for value, label in UnitKind.choices}
KIND_WORDS |= {value: value for value in UnitKind.values} | {"": ""}
ROLE_WORDS = {fold(str(label)): value for value, label in Role.choices}
ROLE_WORDS |= {value: value for value in Role.values}
YES = {"co", "x", "1", "true", "yes"}
NO = {"", "khong", "0", "false", "no"}
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class SheetError:
    sheet: str  # "org" or "user"
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        return str(
            _("Trang “%(sheet)s”, dòng %(line)s, cột %(column)s: %(message)s")
            % {
                "sheet": SHEET_LABEL[self.sheet],
                "line": self.row,
                "column": HEADERS[self.sheet].get(self.column, self.column),
                "message": self.message,
            }
        )


def error(sheet: str, row: int, column: str, message) -> SheetError:
    return SheetError(sheet, row, column, str(message))


@dataclass
class OnboardingRead:
    organisations: list[dict] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)


def template_xlsx() -> bytes:
    book = Workbook()
    orgs = book.active
    orgs.title = ORG_SHEET
    orgs.append([h for h, _n in ORG_COLUMNS])
    users = book.create_sheet(USER_SHEET)
    users.append([h for h, _n in USER_COLUMNS])
    guide = book.create_sheet("Hướng dẫn")
    for line in (
        ("Cột", "Cách ghi"),
        ("Mã đơn vị", "Bắt buộc: chữ thường không dấu, số và gạch nối, ví dụ xa-hop-thanh."),
        ("Cấp", "Xã, phường, đặc khu; Cơ quan, đơn vị cơ sở; … (như trong hệ thống)."),
        ("Mã đơn vị cấp trên", "Bắt buộc: đơn vị đã có, hoặc ở một dòng trên của tệp."),
        ("Hiệu lực từ ngày", "ngày/tháng/năm; để trống: 01/07/2025."),
        ("Vai trò", "Như trong hệ thống, ví dụ Thủ trưởng đơn vị, Quản trị hệ thống."),
        ("Khi có lỗi", "Không dòng nào được nhập; trang liệt kê lỗi theo trang, dòng và cột."),
    ):
        guide.append(line)
    for sheet in (orgs, users, guide):
        for cell in sheet[1]:
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


def _org_cell(name: str, value, line: int, errors: list) -> object:
    text = _text(value)
    if name == "level":
        level = LEVEL_WORDS.get(fold(text))
        if level is None and text:
            errors.append(error("org", line, name, _("không phải một cấp trong hệ thống.")))
        return level
    if name == "kind":
        kind = KIND_WORDS.get(fold(text))
        if kind is None:
            errors.append(error("org", line, name, _("không phải một loại hình trong hệ thống.")))
        return kind or ""
    if name == "has_council":
        word = fold(text)
        if word not in YES | NO:
            errors.append(error("org", line, name, _("chỉ là “Có” hoặc “Không”.")))
        return word in YES
    if name == "valid_from":
        if isinstance(value, datetime):
            return value.date()
        if not text:
            return None
        match = _DATE.match(text)
        try:
            return date(*reversed([int(g) for g in match.groups()])) if match else None
        except ValueError:
            match = None
        errors.append(error("org", line, name, _("phải là ngày/tháng/năm, ví dụ 01/07/2025.")))
        return None
    if name in ("code", "parent_code"):
        text = text.casefold()
        if text and not _CODE.match(text):
            errors.append(
                error("org", line, name, _("chỉ gồm chữ thường không dấu, số và gạch nối."))
            )
        return text
    return text[:255]


def _user_cell(name: str, value, line: int, errors: list) -> object:
    text = _text(value)
    if name == "role":
        role = ROLE_WORDS.get(fold(text))
        if role is None and text:
            errors.append(error("user", line, name, _("không phải một vai trò trong hệ thống.")))
        return role
    if name == "username" and text and not _USERNAME.match(text):
        errors.append(error("user", line, name, _("chỉ gồm chữ, số và . @ + - _")))
    if name == "email" and text and not _EMAIL.match(text):
        errors.append(error("user", line, name, _("không phải một địa chỉ thư điện tử.")))
    if name == "organisation_code":
        return text.casefold()
    return text[:150]


def _read(sheet, columns, required, kind: str, reader, out: list, errors: list) -> None:
    lines = sheet.iter_rows(max_col=len(columns) + 5, values_only=True)
    header = next(lines, ())
    by_header = {fold(h): n for h, n in columns}
    found = {}
    for index, value in enumerate(header):
        name = by_header.get(fold(_text(value)))
        if name and name not in found.values():
            found[index] = name
    missing = [HEADERS[kind][n] for n in required if n not in found.values()]
    if missing:
        errors.append(
            error(
                kind,
                0,
                "",
                _("Trang “%(sheet)s”, dòng 1: thiếu cột %(columns)s.")
                % {"sheet": SHEET_LABEL[kind], "columns": ", ".join(missing)},
            )
        )
        return
    for line, cells in enumerate(lines, start=2):
        raw = {n: (cells[i] if i < len(cells) else None) for i, n in found.items()}
        if all(_text(v) == "" for v in raw.values()):
            continue
        if len(out) >= MAX_ROWS:
            errors.append(error(kind, 0, "", _("Quá %(n)s dòng: hãy chia tệp.") % {"n": MAX_ROWS}))
            return
        values = {"row": line}
        for _h, name in columns:
            values[name] = reader(name, raw.get(name), line, errors)
            if (
                name in required
                and not values[name]
                and not any(e.row == line and e.column == name and e.sheet == kind for e in errors)
            ):
                errors.append(error(kind, line, name, _("bắt buộc nhập.")))
        out.append(values)


def read_onboarding(data: bytes) -> OnboardingRead:
    result = OnboardingRead()
    if len(data) > MAX_BYTES:
        result.errors.append(
            error(
                "org",
                0,
                "",
                _("Tệp lớn quá %(mb)s MB: hãy chia danh sách thành nhiều tệp.")
                % {"mb": MAX_BYTES // 2**20},
            )
        )
        return result
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED:
                result.errors.append(
                    error(
                        "org",
                        0,
                        "",
                        _(
                            "Tệp: nội dung giải nén quá lớn; hãy dùng tệp mẫu "
                            "và chia thành nhiều tệp."
                        ),
                    )
                )
                return result
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:
        result.errors.append(error("org", 0, "", _("Tệp: không đọc được, hãy dùng tệp mẫu.")))
        return result
    try:
        for kind, title, columns, required, reader, out in (
            ("org", ORG_SHEET, ORG_COLUMNS, ORG_REQUIRED, _org_cell, result.organisations),
            ("user", USER_SHEET, USER_COLUMNS, USER_REQUIRED, _user_cell, result.users),
        ):
            if title in book.sheetnames:
                _read(book[title], columns, required, kind, reader, out, result.errors)
    finally:
        book.close()
    if not (result.organisations or result.users or result.errors):
        result.errors.append(error("org", 0, "", _("Tệp: không có dòng dữ liệu nào.")))
    return result
