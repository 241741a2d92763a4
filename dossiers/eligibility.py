"""Eligibility and quota checks (domain §7), declared per award form in `AwardType.eligibility`.

Two halves:
- pure rules (`evaluate` and the `check_*` functions) over plain data: no ORM, no clock;
  each returns `Verdict`s that name the rule and carry the figures that decided it;
- `verdicts(dossier)` gathers those facts from the award registry and the open dossiers, and
  `blocking_problems(dossier)` keeps the failures no reviewer has overridden. The submit
  transition calls it as a condition; the council step can call `verdicts` again.

The declarative format is documented in docs/eligibility.md.
"""

import unicodedata
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


# --- identities -------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def subject_key(
    *, identity_code: str = "", full_name: str, birth_year=None, organisation_name: str = ""
) -> str:
    """The identity under which awards are counted: the identity code when the dossier gives
    one (it survives renamed and merged units), otherwise name + birth year + unit."""
    if identity_code and identity_code.strip():
        return "id:" + identity_code.strip().upper()
    return f"name:{_norm(full_name)}|{birth_year or ''}|{_norm(organisation_name)}"


def achievement_key(*, kind: str, year: int, campaign_id=None, reference: str = "") -> str:
    """What was rewarded (Law 06/2022: one achievement, one reward): a year's results, a
    campaign, or one act (an ad hoc dossier)."""
    if kind == "thematic" and campaign_id:
        return f"campaign:{campaign_id}"
    if kind == "ad_hoc":
        return f"act:{reference}"
    return f"year:{year}"


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


# --- reading the facts (ORM) ------------------------------------------------------------


def _candidates(dossier) -> list[Candidate]:
    key = achievement_key(
        kind=dossier.kind,
        year=dossier.year,
        campaign_id=dossier.campaign_id,
        reference=dossier.reference,
    )
    return [
        Candidate(
            nominee_id=n.pk,
            name=n.full_name,
            subject_key=subject_key(
                identity_code=n.identity_code,
                full_name=n.full_name,
                birth_year=n.birth_year,
                organisation_name=n.organisation_name,
            ),
            award_code=dossier.award_type.code,
            year=dossier.year,
            achievement_key=key,
        )
        for n in dossier.active_nominees()
    ]


def _open_elsewhere(dossier):
    from workflow.states import OPEN_STATES

    from .models import Nominee

    return (
        Nominee.objects.filter(
            dropped_at__isnull=True,
            dossier__status__in=OPEN_STATES,
            dossier__award_type__code=dossier.award_type.code,
        )
        .exclude(dossier=dossier)
        .select_related("dossier")
    )


def _claimed(dossier, candidates: list[Candidate]) -> list[Award]:
    keys = {c.subject_key for c in candidates}
    names = {n for n in dossier.active_nominees().values_list("full_name", flat=True)}
    codes = {k[3:] for k in keys if k.startswith("id:")}
    from django.db.models import Q

    rows = _open_elsewhere(dossier).filter(Q(identity_code__in=codes) | Q(full_name__in=names))
    claims = []
    for n in rows:
        key = subject_key(
            identity_code=n.identity_code,
            full_name=n.full_name,
            birth_year=n.birth_year,
            organisation_name=n.organisation_name,
        )
        if key in keys:
            d = n.dossier
            claims.append(
                Award(
                    key,
                    dossier.award_type.code,
                    d.year,
                    achievement_key(
                        kind=d.kind, year=d.year, campaign_id=d.campaign_id, reference=d.reference
                    ),
                    str(_("hồ sơ %(ref)s") % {"ref": d.reference}),
                )
            )
    return claims


def _awarded(candidates: list[Candidate]) -> list[Award]:
    from decisions.models import RegistryEntry, RegistryStatus

    rows = RegistryEntry.objects.filter(
        subject_key__in={c.subject_key for c in candidates}, status=RegistryStatus.VALID
    )
    return [
        Award(
            r.subject_key,
            r.award_code,
            r.year,
            r.achievement_key,
            str(_("QĐ %(label)s") % {"label": r.decision_label}),
        )
        for r in rows
    ]


def _unit_figures(dossier, spec: dict) -> UnitFigures:
    from decisions.models import RegistryEntry, RegistryStatus

    on_record = RegistryEntry.objects.filter(
        organisation=dossier.proposer, year=dossier.year, status=RegistryStatus.VALID
    )
    return UnitFigures(
        base=on_record.filter(award_code=spec["of"]).count(),
        awarded=on_record.filter(award_code=dossier.award_type.code).count(),
        elsewhere=_open_elsewhere(dossier)
        .filter(dossier__proposer=dossier.proposer, dossier__year=dossier.year)
        .count(),
    )


def verdicts(dossier) -> list[Verdict]:
    """Every rule's verdict for the dossier's active nominees, with reviewers' overrides
    marked (`overridden=True`). Reads the registry and the other open dossiers."""
    from decisions.models import EligibilityOverride

    rules = dossier.award_type.eligibility or {}
    candidates = _candidates(dossier)
    results = evaluate(
        rules,
        candidates,
        awarded=_awarded(candidates),
        claimed=_claimed(dossier, candidates),
        unit=_unit_figures(dossier, rules[QUOTA]) if QUOTA in rules else None,
    )
    overrides = set(
        EligibilityOverride.objects.filter(dossier=dossier).values_list("nominee_id", "rule")
    )
    return [
        Verdict(v.rule, v.passed, v.message, v.evidence, v.nominee_id, overridden=True)
        if not v.passed and (v.nominee_id, v.rule) in overrides
        else v
        for v in results
    ]


def blocking_problems(dossier) -> list[Verdict]:
    """The failed verdicts no reviewer has overridden; empty means the dossier may go on."""
    return [v for v in verdicts(dossier) if not v.passed and not v.overridden]
