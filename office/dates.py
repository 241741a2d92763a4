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


# The level word an administrative unit's name starts with (longest first).
LEVEL_WORDS = ("Thành phố", "Thị trấn", "Thị xã", "Tỉnh", "Huyện", "Quận", "Phường", "Xã")


def unit_place(name: str) -> str:
    """The place of a local body's place-date line from its unit's name (Decree 30/2020 app.
    I §II.4: the unit's official name without the level word; a numbered unit keeps it):
    `Xã Hợp Thành` → `Hợp Thành`, `Tỉnh Lạng Sơn` → `Lạng Sơn`, `Phường 15` stays."""
    for word in LEVEL_WORDS:
        if name.lower().startswith(word.lower() + " "):
            rest = name[len(word) + 1 :].strip()
            return name if rest.isdigit() else rest
    return name
