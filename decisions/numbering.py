"""The decision number register (Decree 30/2020 art. 15).

A series belongs to one issuing body and one year and restarts at 01 on 1 January. The
symbol (QĐ-UBND) is shared with all the issuer's other decisions, many issued on paper, so
gaps are normal; what must never happen is two decisions with one number, or a voided
number given again. Both are guaranteed by the row lock on the series and the unique
constraint on (series, number).
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from office.numbers import document_label, pad

from .models import NumberSeries, NumberUse, RegisteredNumber


def decision_label(number: int, symbol: str) -> str:
    """`Số: 05/QĐ-UBND`: the label written on the decision and kept on its row."""
    return document_label(number, symbol)


def _series(issuer, year: int, symbol: str) -> NumberSeries:
    """The series row, locked until the caller's transaction ends.

    get_or_create first (two first-of-the-year issues may race to create it: the loser's
    INSERT fails on the unique constraint and it reads the winner's row), then
    select_for_update, which makes every other issuer of this series wait for our commit.
    """
    try:
        with transaction.atomic():
            NumberSeries.objects.get_or_create(issuer=issuer, year=year, symbol=symbol)
    except IntegrityError:
        pass
    return NumberSeries.objects.select_for_update().get(issuer=issuer, year=year, symbol=symbol)


def allocate_number(issuer, *, year: int, symbol: str, issued_on: date, by=None, note: str = ""):
    """The next number of the series, recorded as issued. Must run inside the issuing
    transaction: the lock is held until it commits, so concurrent issues queue up."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside transaction.atomic")
    series = _series(issuer, year, symbol)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return RegisteredNumber.objects.create(
        series=series,
        number=series.last_number,
        use=NumberUse.ISSUED,
        issued_on=issued_on,
        recorded_by=by,
        note=note,
    )


def record_external(
    issuer, *, year: int, symbol: str, number: int, issued_on: date, by=None, note: str = ""
) -> RegisteredNumber:
    """Record a number given outside khenthuong (a paper decision); the series continues
    after the highest number recorded. A number already on record is refused."""
    if number < 1:
        raise DomainError("bad_number", _("Số quyết định phải lớn hơn 0."), field="number")
    series = _series(issuer, year, symbol)
    if RegisteredNumber.objects.filter(series=series, number=number).exists():
        raise DomainError(
            "number_taken",
            _("Số %(n)s/%(s)s năm %(y)s đã có trong sổ; mỗi số chỉ được dùng một lần.")
            % {"n": pad(number), "s": symbol, "y": year},
            field="number",
        )
    entry = RegisteredNumber.objects.create(
        series=series,
        number=number,
        use=NumberUse.EXTERNAL,
        issued_on=issued_on,
        recorded_by=by,
        note=note,
    )
    if number > series.last_number:
        series.last_number = number
        series.save(update_fields=["last_number"])
    return entry
