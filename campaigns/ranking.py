"""The cluster's ranking (xếp hạng cụm, khối thi đua): pure, no ORM, exact arithmetic.

A member's total is the sum over the covenant's criteria of score / max score × weight,
kept as a Fraction (a total shown as 93,33 is 280/3, and two members at 280/3 are tied,
never 93.33 against 93.329999). Members are ordered by total, highest first; members with
equal totals are ordered by the covenant's tie-break rule, a list of steps tried in turn:

- ``heaviest_criterion``: the higher score in the criterion with the highest weight, then
  in the next heaviest, and so on (a covenant weighs what matters most to it);
- ``women_share``: priority to the collective with at least 70 % women, then the higher
  share (Decree 152/2025 art. 4 §6: "ưu tiên … tập thể có tỷ lệ nữ từ 70 % trở lên");
- ``name``: the name, compared with its accents folded (a stated, reproducible last step,
  so an order always exists; members still equal after the other steps share a place on
  the page, which names the step that was needed).

The default rule is all three in that order. Each covenant may choose its own (data on
`campaigns.Covenant.tie_break`), and the page prints the rule beside the ranking.
"""

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

WOMEN_PRIORITY = Fraction(70)  # Decree 152/2025 art. 4 §6: collectives with ≥ 70 % women


class TieBreak(StrEnum):
    HEAVIEST_CRITERION = "heaviest_criterion"
    WOMEN_SHARE = "women_share"
    NAME = "name"

    @classmethod
    def default(cls) -> tuple["TieBreak", ...]:
        return (cls.HEAVIEST_CRITERION, cls.WOMEN_SHARE, cls.NAME)

    @property
    def label(self) -> str:
        return str(TIE_BREAK_LABELS[self])

    @property
    def short_label(self) -> str:
        return str(TIE_BREAK_SHORT[self])


TIE_BREAK_CODES = tuple(t.value for t in TieBreak)

TIE_BREAK_LABELS = {
    TieBreak.HEAVIEST_CRITERION: _("điểm cao hơn ở tiêu chí có trọng số lớn nhất"),
    TieBreak.WOMEN_SHARE: _(
        "ưu tiên tập thể có tỷ lệ nữ từ 70 % trở lên, rồi tỷ lệ nữ cao hơn "
        "(Điều 4 khoản 6 Nghị định 152/2025/NĐ-CP)"
    ),
    TieBreak.NAME: _("tên theo thứ tự chữ cái"),
}
# Beside a tied row of the ranking (the full rule is printed above the table).
TIE_BREAK_SHORT = {
    TieBreak.HEAVIEST_CRITERION: _("tiêu chí có trọng số lớn nhất"),
    TieBreak.WOMEN_SHARE: _("tỷ lệ nữ"),
    TieBreak.NAME: _("tên"),
}


@dataclass(frozen=True)
class CriterionSpec:
    key: int
    weight: Decimal
    max_score: Decimal


@dataclass(frozen=True)
class Entry:
    key: int
    name: str
    scores: dict[int, Decimal]  # criterion key -> score (missing: 0)
    women_share: Decimal | None = None


@dataclass(frozen=True)
class Ranked:
    key: int
    name: str
    total: Fraction
    place: int
    resolved_by: TieBreak | None = None  # the step that separated it from an equal total
    tied_with: tuple[int, ...] = field(default=())  # still equal after every step
    equal_total: tuple[int, ...] = field(default=())  # every other entry with the same total

    @property
    def total_display(self) -> Decimal:
        return (Decimal(self.total.numerator) / Decimal(self.total.denominator)).quantize(
            Decimal("0.01")
        )


def fold(name: str) -> str:
    """The name without accents, lower-cased: "Đ" sorts as "d" (Vietnamese alphabetical)."""
    decomposed = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def total(entry: Entry, criteria: list[CriterionSpec]) -> Fraction:
    """Σ score / max × weight, exactly. A score above its maximum counts as the maximum
    (the services refuse one; this keeps the pure rule safe on its own)."""
    result = Fraction(0)
    for c in criteria:
        score = min(Fraction(entry.scores.get(c.key, Decimal(0))), Fraction(c.max_score))
        result += score / Fraction(c.max_score) * Fraction(c.weight)
    return result


def _step_key(step: TieBreak, entry: Entry, criteria: list[CriterionSpec]) -> tuple:
    """A key where smaller sorts first."""
    if step == TieBreak.HEAVIEST_CRITERION:
        heaviest = sorted(criteria, key=lambda c: (-c.weight, c.key))
        return tuple(
            -Fraction(entry.scores.get(c.key, Decimal(0))) / Fraction(c.max_score) for c in heaviest
        )
    if step == TieBreak.WOMEN_SHARE:
        share = Fraction(entry.women_share) if entry.women_share is not None else Fraction(-1)
        return (0 if share >= WOMEN_PRIORITY else 1, -share)
    return (fold(entry.name),)


def rank(
    entries: list[Entry], criteria: list[CriterionSpec], rule: tuple[TieBreak, ...]
) -> list[Ranked]:
    """Order `entries` by total, ties broken by `rule`; give each its place (1-based).

    Members equal on total *and* on every step share a place (the next place is skipped,
    as in "1, 2, 2, 4"). `resolved_by` names the first step that told a member apart from
    another of equal total, for the page to print.
    """
    totals = {e.key: total(e, criteria) for e in entries}

    def full_key(e: Entry) -> tuple:
        return (-totals[e.key], *(_step_key(s, e, criteria) for s in rule))

    ordered = sorted(entries, key=lambda e: (full_key(e), e.key))
    ranked: list[Ranked] = []
    previous_key = None
    place = 0
    for index, e in enumerate(ordered):
        key = full_key(e)
        if key != previous_key:
            place = index + 1
        previous_key = key
        same_total = [o for o in entries if o.key != e.key and totals[o.key] == totals[e.key]]
        resolved_by = None
        tied = []
        for other in same_total:
            step = next(
                (s for s in rule if _step_key(s, e, criteria) != _step_key(s, other, criteria)),
                None,
            )
            if step is None:
                tied.append(other.key)
            elif resolved_by is None or rule.index(step) < rule.index(resolved_by):
                resolved_by = step
        ranked.append(
            Ranked(
                key=e.key,
                name=e.name,
                total=totals[e.key],
                place=place,
                resolved_by=resolved_by,
                tied_with=tuple(sorted(tied)),
                equal_total=tuple(sorted(o.key for o in same_total)),
            )
        )
    return ranked
