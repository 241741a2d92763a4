"""Prize money (tiền thưởng): a multiple of the base salary. Pure: no ORM, no clock.

Decree 152/2025 art. 49–54 (Decree 73/2024 for the base salary):
- the amount is the award form's multiple of the base salary **in force on the decision's
  issue date**, rounded **up** to the next 10 000 VND (2 340 000 × 0,3 = 702 000 → 710 000);
- a household receives 1,5 times the amount of an individual (computed on the exact product,
  rounded once);
- several titles or forms for **one period** (the same achievement: one year's results, one
  campaign, one act) pay only the highest; different periods pay each.

The multiples are data on the award form (`AwardType.prize_multiple` for individuals and
households, `prize_multiple_collective` for collectives); `DEFAULT_MULTIPLES` is what the
decisions data migration fills in where an award form has none.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

ROUNDING_STEP = 10_000  # VND: "làm tròn lên hàng chục nghìn đồng"
HOUSEHOLD_FACTOR = Decimal("1.5")

# award code -> (individual multiple, collective multiple); None: no prize for that subject.
# Domain "Corrections and additions (verified 12/2026)", Decree 152/2025 art. 49–54. Values
# marked "to confirm" are provincial or not stated there (see .pending/posting-prize.md).
DEFAULT_MULTIPLES: dict[str, tuple[Decimal | None, Decimal | None]] = {
    "cstd-toan-quoc": (Decimal("4.5"), None),
    "cstd-tinh": (Decimal("3.0"), None),
    "cstdcs": (Decimal("1.0"), None),
    "ldtt": (Decimal("0.3"), None),
    "ttldxs": (None, Decimal("1.5")),
    "ttldtt": (None, Decimal("0.8")),
    "co-thi-dua-chinh-phu": (None, Decimal("12")),
    "co-thi-dua-tinh": (None, Decimal("8")),
    "bang-khen-ttg": (Decimal("3.5"), Decimal("7")),  # individual 3.5: to confirm
    "bang-khen-tinh": (Decimal("1.0"), Decimal("3")),  # individual 1.0: to confirm
    "giay-khen-xa": (Decimal("0.3"), Decimal("0.6")),  # individual 0.3: provincial, to confirm
    "giay-khen-huyen": (Decimal("0.3"), Decimal("0.6")),  # idem (RS-2024)
}


def round_up(amount: Decimal | int, step: int = ROUNDING_STEP) -> int:
    """The next multiple of `step` at or above `amount` (exact: Decimal, never float)."""
    units = (Decimal(amount) / step).to_integral_value(rounding=ROUND_CEILING)
    return int(units) * step


def multiple_for(
    kind: str, *, individual: Decimal | None, collective: Decimal | None
) -> Decimal | None:
    """The multiple that applies to a subject `kind` (individual / household / collective);
    None when the award form pays that subject nothing. A household gets 1,5 × individual."""
    if kind == "collective":
        return collective
    if individual is None:
        return None
    return individual * HOUSEHOLD_FACTOR if kind == "household" else individual


def prize_amount(*, base_salary: int, multiple: Decimal | None) -> int | None:
    """base × multiple, rounded up to the next 10 000 VND; None without a multiple."""
    if multiple is None:
        return None
    return round_up(Decimal(base_salary) * Decimal(multiple))


@dataclass(frozen=True)
class Claim:
    """One prize due: `key` names the line, `subject` the person or collective (registry
    subject key), `period` the achievement (registry achievement key)."""

    key: Hashable
    subject: str
    period: str
    amount: int


@dataclass(frozen=True)
class Payment:
    key: Hashable
    amount: int  # what is paid
    full_amount: int  # what the form alone would pay
    note: str = ""


def highest_only(
    claims: Iterable[Claim], *, already_paid: Mapping[tuple[str, str], int] | None = None
) -> dict[Hashable, Payment]:
    """Pay, per subject and period, only the highest prize (Decree 152/2025).

    `already_paid` is what earlier decisions paid the subject for that period. Among the
    new claims of a subject and period the highest (the first of equals) pays what it is
    worth beyond what was already paid, so the subject receives the highest in total; the
    others pay 0 with a note. Claims of different periods are independent.
    """
    already_paid = already_paid or {}
    groups: dict[tuple[str, str], list[Claim]] = {}
    for claim in claims:
        groups.setdefault((claim.subject, claim.period), []).append(claim)
    payments: dict[Hashable, Payment] = {}
    for group_key, group in groups.items():
        best = max(group, key=lambda c: c.amount)  # max keeps the first of equals
        paid = already_paid.get(group_key, 0)
        for claim in group:
            if claim is not best:
                note = "Cùng thành tích đã nhận mức tiền thưởng cao hơn (chỉ nhận mức cao nhất)."
                payments[claim.key] = Payment(claim.key, 0, claim.amount, note)
            elif paid >= claim.amount:
                note = "Đã nhận mức tiền thưởng bằng hoặc cao hơn cho cùng thành tích."
                payments[claim.key] = Payment(claim.key, 0, claim.amount, note)
            elif paid:
                note = f"Trừ {format_vnd(paid)} đồng đã nhận cho cùng thành tích."
                payments[claim.key] = Payment(claim.key, claim.amount - paid, claim.amount, note)
            else:
                payments[claim.key] = Payment(claim.key, claim.amount, claim.amount)
    return payments


def format_vnd(amount: int) -> str:
    """710000 -> "710.000" (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")
