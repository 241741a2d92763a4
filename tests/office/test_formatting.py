"""Decree 30/2020 formatting (domain §6, §9.6): pure functions, no database."""

from datetime import date

import pytest

from office.dates import BLANK_DATE, PENDING_DATE, cited_date, place_date, vietnamese_date
from office.numbers import document_label, pad, percent


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2027, 1, 4), "ngày 04 tháng 01 năm 2027"),  # §9.6: the first decision of 2027
        (date(2027, 2, 5), "ngày 05 tháng 02 năm 2027"),  # §6: ngày 05 tháng 02
        (date(2027, 6, 15), "ngày 15 tháng 6 năm 2027"),  # §9.6: tháng 6, never tháng 06
        (date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
        (date(2027, 3, 9), "ngày 09 tháng 3 năm 2027"),
    ],
)
def test_days_below_10_and_months_1_2_are_padded(day, text):
    assert vietnamese_date(day) == text


def test_no_month_after_february_is_padded():
    for month in range(3, 13):
        assert f"tháng {month} năm" in vietnamese_date(date(2027, month, 1))


def test_place_date_line():
    assert place_date("Lạng Sơn", date(2027, 1, 4)) == "Lạng Sơn, ngày 04 tháng 01 năm 2027"


def test_undated_forms_keep_the_blanks_the_documents_print():
    # The header of a draft leaves room to write the date by hand at signing...
    assert BLANK_DATE == "ngày      tháng      năm"
    assert place_date("Lạng Sơn", None) == "Lạng Sơn, ngày      tháng      năm"
    # ... while a reference in running text to an undated decision elides it.
    assert PENDING_DATE == "ngày … tháng … năm …"
    assert cited_date(None) == "ngày … tháng … năm …"
    assert cited_date(date(2027, 2, 5)) == "ngày 05 tháng 02 năm 2027"


@pytest.mark.parametrize(
    ("number", "text"), [(1, "01"), (4, "04"), (9, "09"), (10, "10"), (4187, "4187")]
)
def test_numbers_below_10_take_a_leading_zero(number, text):
    assert pad(number) == text


def test_document_labels_across_the_year():
    # §9.6: the last decision of 2026 and the first of 2027.
    assert document_label(4187, "QĐ-UBND") == "Số: 4187/QĐ-UBND"
    assert document_label(1, "QĐ-UBND") == "Số: 01/QĐ-UBND"
    assert document_label(5, "QĐ-UBND") == "Số: 05/QĐ-UBND"
    # A draft has no number yet: room is left for it.
    assert document_label(None, "QĐ-UBND") == "Số:      /QĐ-UBND"
    assert document_label(None, "TTr") == "Số:      /TTr"


@pytest.mark.parametrize(
    ("count", "base", "text"),
    [
        (17, 19, "89,47 %"),  # §9.1: a council of 19, 17 yes: fails the 90 % mark
        (18, 20, "90,00 %"),  # always two decimals, so a column of rates reads alike
        (18, 19, "94,74 %"),
        (3, 4, "75,00 %"),
        (0, 3, "0,00 %"),
        (3, 3, "100,00 %"),
        (2, 3, "66,67 %"),
    ],
)
def test_percent_uses_the_vietnamese_decimal_comma(count, base, text):
    # The space before the sign is a no-break space (a table cell never splits "100,00 %").
    assert percent(count, base) == text.replace(" %", "\u00a0%")


def test_percent_places_and_rounding():
    assert percent(18, 20, places=0) == "90\u00a0%"
    assert percent(17, 19, places=1) == "89,5\u00a0%"
    # Half up on the exact value, not on a binary float: 1/8 = 12.5 % exactly.
    assert percent(1, 8, places=0) == "13\u00a0%"
    assert percent(1, 16, places=1) == "6,3\u00a0%"


def test_percent_of_an_empty_base_is_refused():
    with pytest.raises(ValueError, match="base of 0"):
        percent(0, 0)
