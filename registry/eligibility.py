"""Eligibility and quota rules (domain §7), declared per award form in `AwardType.eligibility`.

Pure: plain data in, `Verdict`s out, no ORM and no clock; each verdict names its rule and
carries the figures that decided it. The facts are gathered by registry.checks; the
declarative format is documented in docs/eligibility.md.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

CONSECUTIVE = "consecutive"
SAME_YEAR = "requires_same_year"
QUOTA = "quota"
DUPLICATE = "duplicate"
RULE_LABELS = {
    CONSECUTIVE: _("Số năm liên tục"),
    SAME_YEAR: _("Điều kiện cùng năm"),
    QUOTA: _("Hạn mức của đơn vị"),
    DUPLICATE: _("Trùng khen thưởng"),
}


# --- plain data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Award:
    """An award held (registry, valid) or claimed (a nominee of another open dossier)."""

    subject_key: str
    award_code: str
    year: int
    achievement_key: str
    source: str


@dataclass(frozen=True)
class Candidate:
    nominee_id: int
    name: str
    subject_key: str
    award_code: str
    year: int
    achievement_key: str


@dataclass(frozen=True)
class UnitFigures:
    """Counts for the quota of one unit and year."""

    base: int  # valid awards of the base form (e.g. LĐTT) in the unit that year
    awarded: int  # valid awards of this form already on record for the unit that year
    elsewhere: int  # nominees of this form in the unit's other open dossiers that year


@dataclass(frozen=True)
class Verdict:
    rule: str
    passed: bool
    message: str
    evidence: dict = field(default_factory=dict)
    nominee_id: int | None = None  # None: about the dossier as a whole (the quota)
    overridden: bool = False

    @property
    def label(self) -> str:
        return str(RULE_LABELS.get(self.rule, self.rule))


# --- pure rules -------------------------------------------------------------------------


def _held(awards: Iterable[Award], key: str, code: str) -> list[Award]:
    return [a for a in awards if a.subject_key == key and a.award_code == code]


def check_consecutive(spec: dict, candidate: Candidate, awarded: Iterable[Award]) -> Verdict:
    """CSTĐ tỉnh: a valid `of` award in each of the `years` years just before the dossier's."""
    of, count = spec["of"], int(spec["years"])
    needed = list(range(candidate.year - count, candidate.year))
    found = sorted({a.year for a in _held(awarded, candidate.subject_key, of)} & set(needed))
    missing = [y for y in needed if y not in found]
    evidence = {"of": of, "years_needed": needed, "years_found": found, "missing": missing}
    if not missing:
        message = _("%(name)s: đủ %(n)s năm liên tục (%(years)s).")
    else:
        message = _("%(name)s: chưa đủ %(n)s lần liên tục; thiếu năm %(missing)s.")
    return Verdict(
        CONSECUTIVE,
        not missing,
        message
        % {
            "name": candidate.name,
            "n": count,
            "years": ", ".join(map(str, needed)),
            "missing": ", ".join(map(str, missing)),
        },
        evidence,
        candidate.nominee_id,
    )


def check_same_year(codes: list[str], candidate: Candidate, awarded: Iterable[Award]) -> Verdict:
    """CSTĐCS: the nominee holds each of `codes` (e.g. LĐTT) for the same year."""
    awarded = list(awarded)
    missing = [
        code
        for code in codes
        if not any(a.year == candidate.year for a in _held(awarded, candidate.subject_key, code))
    ]
    evidence = {"requires": list(codes), "year": candidate.year, "missing": missing}
    if missing:
        message = _("%(name)s: chưa có %(missing)s năm %(year)s.")
    else:
        message = _("%(name)s: đã có %(codes)s năm %(year)s.")
    return Verdict(
        SAME_YEAR,
        not missing,
        message
        % {
            "name": candidate.name,
            "missing": ", ".join(missing),
            "codes": ", ".join(codes),
            "year": candidate.year,
        },
        evidence,
        candidate.nominee_id,
    )


def quota_cap(base: int, num: int, den: int) -> int:
    """⌊base × num / den⌋ in integers: 33 LĐTT at 15/100 gives 4 (never 4.95 rounded up)."""
    return base * num // den


def check_quota(spec: dict, proposed: int, figures: UnitFigures) -> Verdict:
    """CSTĐCS ≤ ⌊LĐTT × 15/100⌋ per unit and year, counting this dossier, the unit's other
    open dossiers and the awards already on record."""
    num, den = int(spec["num"]), int(spec["den"])
    cap = quota_cap(figures.base, num, den)
    total = proposed + figures.elsewhere + figures.awarded
    evidence = {
        "of": spec["of"],
        "base": figures.base,
        "ratio": [num, den],
        "cap": cap,
        "proposed": proposed,
        "elsewhere": figures.elsewhere,
        "awarded": figures.awarded,
        "total": total,
    }
    passed = total <= cap
    if passed:
        message = _("Trong hạn mức: %(total)s ≤ %(cap)s (⌊%(base)s × %(num)s/%(den)s⌋).")
    else:
        message = _("Vượt hạn mức: %(total)s > %(cap)s (⌊%(base)s × %(num)s/%(den)s⌋).")
    params = {"total": total, "cap": cap, "base": figures.base, "num": num, "den": den}
    return Verdict(QUOTA, passed, message % params, evidence)


def check_duplicate(
    candidate: Candidate, awarded: Iterable[Award], claimed: Iterable[Award]
) -> Verdict:
    """The same subject, form and achievement already awarded, or proposed elsewhere."""
    clashes = [
        a
        for a in [*awarded, *claimed]
        if a.subject_key == candidate.subject_key
        and a.award_code == candidate.award_code
        and a.achievement_key == candidate.achievement_key
    ]
    evidence = {"achievement": candidate.achievement_key, "found": [a.source for a in clashes]}
    if clashes:
        message = _("%(name)s: đã được khen hoặc đang được đề nghị cùng hình thức (%(where)s).")
    else:
        message = _("%(name)s: không trùng khen thưởng.")
    where = "; ".join(a.source for a in clashes)
    return Verdict(
        DUPLICATE,
        not clashes,
        message % {"name": candidate.name, "where": where},
        evidence,
        candidate.nominee_id,
    )


def evaluate(
    rules: dict,
    candidates: list[Candidate],
    *,
    awarded: list[Award],
    claimed: list[Award],
    unit: UnitFigures | None = None,
) -> list[Verdict]:
    """Every verdict for one dossier: per nominee in declaration order, then the quota.

    The duplicate check always applies (Law 06/2022 art. 6); the others only when declared.
    """
    out: list[Verdict] = []
    for candidate in candidates:
        if CONSECUTIVE in rules:
            out.append(check_consecutive(rules[CONSECUTIVE], candidate, awarded))
        if rules.get(SAME_YEAR):
            out.append(check_same_year(list(rules[SAME_YEAR]), candidate, awarded))
        out.append(check_duplicate(candidate, awarded, claimed))
    if QUOTA in rules and candidates:
        out.append(check_quota(rules[QUOTA], len(candidates), unit or UnitFigures(0, 0, 0)))
    return out
