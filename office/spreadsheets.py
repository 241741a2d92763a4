"""Excel (.xlsx) lists (openpyxl): one titled sheet, built in memory, returned as bytes."""

import unicodedata
from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

WIDTHS = (6, 32, 12, 32, 28, 8, 18, 14, 28, 14)
# A text cell beginning with one of these is a formula to Excel or LibreOffice ("formula
# injection", OWASP CSV injection): a nominee named "=HYPERLINK(...)" would run when the
# secretariat opens the list. Such text is written as a string cell with Excel's quote
# prefix, so it shows and stays as typed.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def _nfc(text: str) -> str:
    # Vietnamese typed on some keyboards arrives decomposed (NFD); Excel's search and sort
    # would treat "Nguyễn" typed two ways as two names.
    return unicodedata.normalize("NFC", text or "")


def _as_text(row) -> None:
    for cell in row:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
            cell.data_type = "s"  # openpyxl took it for a formula ("f") on assignment
            cell.quotePrefix = True


def table_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet: a bold title line, the header row (frozen), then the rows as given.

    Values are data, never formulas: text starting with = + - @, a tab or a line break is
    written as text (FORMULA_TRIGGERS).
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append([_nfc(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(header))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append([_nfc(v) if isinstance(v, str) else v for v in row])
    for row in sheet.iter_rows():
        _as_text(row)
    sheet.freeze_panes = "A3"
    for column, width in zip("ABCDEFGHIJ", WIDTHS, strict=False):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
