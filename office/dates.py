"""Dates as Decree 30/2020 writes them (domain §6): `ngày 05 tháng 02 năm 2027`.

Days below 10 and months 1 and 2 take a leading zero, so that no one can add a digit to them
afterwards; other months do not: `tháng 6`, never `tháng 06`.
"""

from datetime import date

BLANK_DATE = "ngày      tháng      năm"
"""The place-date line of an undated draft: blanks that are filled in by hand at signing."""

PENDING_DATE = "ngày … tháng … năm …"
"""A date cited in running text (the list's caption) that is not known yet."""


def vietnamese_date(day: date) -> str:
    """`ngày 04 tháng 01 năm 2027`, `ngày 15 tháng 6 năm 2027`, `ngày 20 tháng 11 năm 2026`."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def cited_date(day: date | None) -> str:
    """The date of a document cited in running text, or `ngày … tháng … năm …` before it has one."""
    return vietnamese_date(day) if day else PENDING_DATE


def place_date(place: str, day: date | None) -> str:
    """`Lạng Sơn, ngày 04 tháng 01 năm 2027`; undated, `Lạng Sơn, ngày      tháng      năm`."""
    return f"{place}, {vietnamese_date(day) if day else BLANK_DATE}"
