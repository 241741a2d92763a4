"""Eligibility and quota rules (domain §7), declared per award form in `AwardType.eligibility`.

Pure: plain data in, `Verdict`s out, no ORM and no clock; each verdict names its rule and
carries the figures that decided it. The facts are gathered by registry.checks; the
declarative format is documented in docs/eligibility.md.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

CONSECUTIVE = "consecutive"
SAME_YEAR = "requires_same_year"
QUOTA = "quota"
DUPLICATE = "duplicate"
AFTER_DISCIPLINE = "after_discipline"
INITIATIVE = "initiative"
FLAG_TO_LEADER = "flag_to_leader"  # provincial data of campaigns (ClusterFlagRule)
CATEGORY = "category"  # declarative key: "title" (danh hiệu thi đua) or "form" (hình thức)
RULE_LABELS = {
    CONSECUTIVE: _("Số năm liên tục"),
    SAME_YEAR: _("Điều kiện cùng năm"),
    QUOTA: _("Hạn mức của đơn vị"),
    DUPLICATE: _("Trùng khen thưởng"),
    AFTER_DISCIPLINE: _("Thời gian tính thành tích sau kỷ luật"),
    INITIATIVE: _("Sáng kiến đã dùng để khen thưởng"),
    FLAG_TO_LEADER: _("Cờ thi đua chỉ tặng cụm trưởng"),
}
# The legal bases the messages cite.
BASIS_ONE_AWARD = _("nguyên tắc khen thưởng của Luật Thi đua, khen thưởng năm 2022")
BASIS_REGULAR_ONLY = _("Khoản 3 Điều 4 Nghị định 152/2025/NĐ-CP")
BASIS_DISCIPLINE = _("Khoản 4 Điều 4 Nghị định 152/2025/NĐ-CP")
BASIS_INITIATIVE = _("Công văn số 5007/BNV-TĐKT của Bộ Nội vụ")

TITLE, FORM = "title", "form"
# Law 06/2022 separates emulation titles (danh hiệu thi đua: LĐTT, CSTĐ, TTLĐTT, Cờ thi đua),
# which stack by design (CSTĐCS needs LĐTT that year), from award forms (hình thức khen
# thưởng: Huân chương, Bằng khen, Giấy khen…), of which one achievement earns one. An award
# form's rules may say which it is (`"category": "form"`); without it, the code decides:
FORM_CODE_PREFIXES = ("bang-khen", "giay-khen", "huan-chuong", "huy-chuong", "ky-niem-chuong")


def category_of(code: str, rules: Mapping | None = None) -> str:
    """TITLE or FORM for an award code: its declared `category`, else by its code."""
    declared = (rules or {}).get(CATEGORY)
    if declared in (TITLE, FORM):
        return declared
    return FORM if code.startswith(FORM_CODE_PREFIXES) else TITLE


# --- plain data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Award:
    """An award held (registry, valid) or claimed (a nominee of another open dossier)."""

    subject_key: str
    award_code: str
    year: int
    achievement_key: str
    source: str
    # Decree 152/2025 art. 4 §3: a đột xuất or chuyên đề award is never the basis of a merit
    # proposal; only regular (thường xuyên) awards count toward chains and prerequisites.
    regular: bool = True


@dataclass(frozen=True)
class Candidate:
    nominee_id: int
    name: str
    subject_key: str
    award_code: str
    year: int
    achievement_key: str
    # After a discipline, achievements count from the day it ended (Decree 152/2025 art. 4
    # §4): the latest such day on record for the subject, else None.
    counts_from: date | None = None
    # When the proposed achievement began: 1 January of the year, or the ad hoc act's day.
    period_start: date | None = None
    initiative_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Backing:
    """An initiative backing a nominee or an award other than the candidate's."""

    initiative_id: int
    title: str
    document: str
    source: str  # the award or the open proposal it backs, as a reader names it


@dataclass(frozen=True)
class UnitFigures:
    """Counts for the quota of one unit and year."""

    base: int  # valid awards of the base form (e.g. LĐTT) in the unit that year
    awarded: int  # valid awards of this form already on record for the unit that year
    elsewhere: int  # nominees of this form in the unit's other open dossiers that year


@dataclass(frozen=True)
class ClusterPlace:
    """A collective's place in one cluster or block in the dossier's year."""

    cluster: str
    leader: str  # the name of that year's leader (cụm trưởng)
    leads: bool  # the collective is that leader


@dataclass(frozen=True)
class LeaderRule:
    """A province's rule that its Cờ thi đua goes only to a cluster's leader, with the facts
    for one dossier: each collective nominee's clusters that year (none: it is in none)."""

    award_name: str
    year: int
    basis: str
    places: Mapping[int, tuple[ClusterPlace, ...]]  # nominee id → its places


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


def year_counts(year: int, counts_from: date | None) -> bool:
    """Whether a year's results count after a discipline that ended on `counts_from`:
    only a year whose whole period lies from that day on (a discipline ending 01/03/2025
    leaves 2025 out; one ending 01/01/2025 does not). Strict reading, to confirm."""
    return counts_from is None or date(year, 1, 1) >= counts_from


def _counted(awards: Iterable[Award], candidate: Candidate, code: str) -> tuple[list, list]:
    """The candidate's `code` awards that count toward a chain or a prerequisite, and those
    left out (đột xuất/chuyên đề; earned before a discipline ended), with the reason."""
    counted, left_out = [], []
    for a in _held(awards, candidate.subject_key, code):
        if not a.regular:
            left_out.append((a, BASIS_REGULAR_ONLY))
        elif not year_counts(a.year, candidate.counts_from):
            left_out.append((a, BASIS_DISCIPLINE))
        else:
            counted.append(a)
    return counted, left_out


def _left_out_note(left_out: list, years: Iterable[int]) -> str:
    wanted = set(years)
    notes = [
        str(
            _("không tính %(source)s năm %(year)s (%(basis)s)")
            % {"source": a.source, "year": a.year, "basis": basis}
        )
        for a, basis in left_out
        if a.year in wanted
    ]
    return f" ({'; '.join(notes)})" if notes else ""


def check_consecutive(spec: dict, candidate: Candidate, awarded: Iterable[Award]) -> Verdict:
    """CSTĐ tỉnh: a valid `of` award in each of the `years` years just before the dossier's."""
    of, count = spec["of"], int(spec["years"])
    needed = list(range(candidate.year - count, candidate.year))
    counted, left_out = _counted(awarded, candidate, of)
    found = sorted({a.year for a in counted} & set(needed))
    missing = [y for y in needed if y not in found]
    evidence = {
        "of": of,
        "years_needed": needed,
        "years_found": found,
        "missing": missing,
        "not_counted": sorted({a.year for a, _basis in left_out}),
    }
    if not missing:
        message = _("%(name)s: đủ %(n)s năm liên tục (%(years)s).")
    else:
        message = _("%(name)s: chưa đủ %(n)s lần liên tục; thiếu năm %(missing)s.")
    text = str(
        message
        % {
            "name": candidate.name,
            "n": count,
            "years": ", ".join(map(str, needed)),
            "missing": ", ".join(map(str, missing)),
        }
    )
    if missing:
        text += _left_out_note(left_out, missing)
    return Verdict(CONSECUTIVE, not missing, text, evidence, candidate.nominee_id)


def check_same_year(codes: list[str], candidate: Candidate, awarded: Iterable[Award]) -> Verdict:
    """CSTĐCS: the nominee holds each of `codes` (e.g. LĐTT) for the same year."""
    awarded = list(awarded)
    left_out: list = []
    missing = []
    for code in codes:
        counted, excluded = _counted(awarded, candidate, code)
        left_out += excluded
        if not any(a.year == candidate.year for a in counted):
            missing.append(code)
    evidence = {"requires": list(codes), "year": candidate.year, "missing": missing}
    if missing:
        message = _("%(name)s: chưa có %(missing)s năm %(year)s.")
    else:
        message = _("%(name)s: đã có %(codes)s năm %(year)s.")
    text = str(
        message
        % {
            "name": candidate.name,
            "missing": ", ".join(missing),
            "codes": ", ".join(codes),
            "year": candidate.year,
        }
    )
    if missing:
        text += _left_out_note(left_out, [candidate.year])
    return Verdict(SAME_YEAR, not missing, text, evidence, candidate.nominee_id)


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


def _same_award(candidate: Candidate, other: Award, categories: Mapping[str, str]) -> bool:
    """Whether `other` rewards what the candidate's proposal would: the same achievement
    with the same form or title, or with any other award form (one achievement, one form).
    Titles stack across codes (CSTĐCS needs LĐTT for the same year)."""
    if other.subject_key != candidate.subject_key:
        return False
    if other.achievement_key != candidate.achievement_key:
        return False
    if other.award_code == candidate.award_code:
        return True
    mine = categories.get(candidate.award_code) or category_of(candidate.award_code)
    theirs = categories.get(other.award_code) or category_of(other.award_code)
    return mine == theirs == FORM


def check_duplicate(
    candidate: Candidate,
    awarded: Iterable[Award],
    claimed: Iterable[Award],
    categories: Mapping[str, str] | None = None,
) -> Verdict:
    """One achievement, one award (Law 06/2022 principles): the same subject already holds,
    or is proposed elsewhere for, an award of the same achievement (the year, the campaign
    or the act) in this form, or in another award form. The same form for a different
    achievement passes (a form may be given many times)."""
    categories = categories or {}
    clashes = [a for a in [*awarded, *claimed] if _same_award(candidate, a, categories)]
    evidence = {"achievement": candidate.achievement_key, "found": [a.source for a in clashes]}
    if clashes:
        message = _(
            "%(name)s: thành tích này đã được khen thưởng hoặc đang được đề nghị khen thưởng "
            "(%(where)s); mỗi thành tích chỉ được khen thưởng một lần, bằng một hình thức "
            "(%(basis)s)."
        )
    else:
        message = _("%(name)s: không trùng khen thưởng.")
    where = "; ".join(a.source for a in clashes)
    return Verdict(
        DUPLICATE,
        not clashes,
        message % {"name": candidate.name, "where": where, "basis": BASIS_ONE_AWARD},
        evidence,
        candidate.nominee_id,
    )


def check_after_discipline(candidate: Candidate) -> Verdict:
    """The proposed achievement itself lies after the end of a discipline (Decree 152/2025
    art. 4 §4): a year from its first day, an act from its day."""
    start = candidate.period_start or date(candidate.year, 1, 1)
    passed = candidate.counts_from is None or start >= candidate.counts_from
    evidence = {
        "counts_from": candidate.counts_from.isoformat() if candidate.counts_from else None,
        "period_start": start.isoformat(),
    }
    if passed:
        message = _("%(name)s: thành tích nằm trong thời gian được tính.")
    else:
        message = _(
            "%(name)s: thành tích từ ngày %(start)s trước ngày chấp hành xong kỷ luật "
            "(%(end)s); thành tích chỉ được tính từ ngày %(end)s (%(basis)s)."
        )
    params = {
        "name": candidate.name,
        "start": start.strftime("%d/%m/%Y"),
        "end": candidate.counts_from.strftime("%d/%m/%Y") if candidate.counts_from else "",
        "basis": BASIS_DISCIPLINE,
    }
    return Verdict(AFTER_DISCIPLINE, passed, message % params, evidence, candidate.nominee_id)


def check_initiative_once(candidate: Candidate, backings: Iterable[Backing]) -> Verdict:
    """One initiative backs one award (CV 5007/BNV-TĐKT): none of the candidate's
    initiatives backs another award on record or another open proposal."""
    clashes = [b for b in backings if b.initiative_id in candidate.initiative_ids]
    evidence = {
        "initiatives": list(candidate.initiative_ids),
        "used_for": [
            {"initiative": b.initiative_id, "title": b.title, "for": b.source} for b in clashes
        ],
    }
    if clashes:
        message = _(
            "%(name)s: sáng kiến %(which)s đã được dùng để khen thưởng %(where)s; mỗi sáng kiến "
            "chỉ làm căn cứ cho một lần khen thưởng (%(basis)s)."
        )
    else:
        message = _("%(name)s: sáng kiến chưa được dùng cho khen thưởng khác.")
    params = {
        "name": candidate.name,
        "which": "; ".join(f"“{b.title}” ({b.document})" for b in clashes),
        "where": "; ".join(b.source for b in clashes),
        "basis": BASIS_INITIATIVE,
    }
    return Verdict(INITIATIVE, not clashes, message % params, evidence, candidate.nominee_id)


def check_flag_to_leader(candidate: Candidate, rule: LeaderRule) -> Verdict:
    """Where the province gives its Cờ thi đua only to a cluster's leader (provincial data,
    off by default), the collective leads a cluster or block it belongs to that year."""
    places = tuple(rule.places.get(candidate.nominee_id, ()))
    led = [p.cluster for p in places if p.leads]
    evidence = {
        "year": rule.year,
        "clusters": [p.cluster for p in places],
        "leaders": [p.leader for p in places],
        "leads": led,
        "basis": rule.basis,
    }
    params = {
        "name": candidate.name,
        "award": rule.award_name,
        "year": rule.year,
        "basis": rule.basis,
        "clusters": "; ".join(p.cluster for p in places),
        "leaders": "; ".join(p.leader for p in places),
        "led": "; ".join(led),
    }
    if led:
        message = _("%(name)s: cụm trưởng của %(led)s năm %(year)s.")
    elif places:
        message = _(
            "%(name)s: không phải cụm trưởng của %(clusters)s năm %(year)s (cụm trưởng: "
            "%(leaders)s); %(award)s chỉ tặng cụm trưởng của cụm, khối thi đua (%(basis)s)."
        )
    else:
        message = _(
            "%(name)s: không thuộc cụm, khối thi đua nào năm %(year)s; %(award)s chỉ tặng "
            "cụm trưởng của cụm, khối thi đua (%(basis)s)."
        )
    return Verdict(FLAG_TO_LEADER, bool(led), message % params, evidence, candidate.nominee_id)


def evaluate(
    rules: dict,
    candidates: list[Candidate],
    *,
    awarded: list[Award],
    claimed: list[Award],
    unit: UnitFigures | None = None,
    categories: Mapping[str, str] | None = None,
    backings: Iterable[Backing] = (),
    leader_rule: LeaderRule | None = None,
) -> list[Verdict]:
    """Every verdict for one dossier: per nominee in declaration order, then the quota.

    The duplicate check always applies (Law 06/2022 principles); the discipline period
    when the subject has one on record, the initiative check when the nominee names an
    initiative, the leader-only rule for the collectives `leader_rule` lists (a province's
    Cờ thi đua); the others only when declared. `categories`: award code → TITLE or FORM.
    """
    backings = list(backings)
    out: list[Verdict] = []
    for candidate in candidates:
        if CONSECUTIVE in rules:
            out.append(check_consecutive(rules[CONSECUTIVE], candidate, awarded))
        if rules.get(SAME_YEAR):
            out.append(check_same_year(list(rules[SAME_YEAR]), candidate, awarded))
        out.append(check_duplicate(candidate, awarded, claimed, categories))
        if candidate.counts_from is not None:
            out.append(check_after_discipline(candidate))
        if candidate.initiative_ids:
            out.append(check_initiative_once(candidate, backings))
        if leader_rule is not None and candidate.nominee_id in leader_rule.places:
            out.append(check_flag_to_leader(candidate, leader_rule))
    if QUOTA in rules and candidates:
        out.append(check_quota(rules[QUOTA], len(candidates), unit or UnitFigures(0, 0, 0)))
    return out
