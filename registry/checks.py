"""The facts eligibility is judged on: awards on record and competing nominations.

`verdicts(dossier, competing=...)` feeds the pure rules of registry.eligibility and marks the
reviewers' overrides; `blocking_problems` keeps the failures nobody overrode. The caller
hands in `competing` (dossiers.queries.competing_nominees: the active nominees of the other
open dossiers of the same award code), because which dossiers are open is the workflow's
word, and this room stays below both (issue 11). Everything else is read through the
dossier passed in and its related managers.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .eligibility import QUOTA, Award, Candidate, UnitFigures, Verdict, evaluate
from .identity import achievement_key, subject_key
from .models import EligibilityOverride, RegistryEntry, RegistryStatus


def _achievement_of(dossier) -> str:
    return achievement_key(
        kind=dossier.kind,
        year=dossier.year,
        campaign_id=dossier.campaign_id,
        reference=dossier.reference,
    )


def _subject_of(nominee) -> str:
    return subject_key(
        identity_code=nominee.identity_code,
        full_name=nominee.full_name,
        birth_year=nominee.birth_year,
        organisation_name=nominee.organisation_name,
    )


def _candidates(dossier, nominees: list) -> list[Candidate]:
    key = _achievement_of(dossier)
    return [
        Candidate(
            nominee_id=n.pk,
            name=n.full_name,
            subject_key=_subject_of(n),
            award_code=dossier.award_type.code,
            year=dossier.year,
            achievement_key=key,
        )
        for n in nominees
    ]


def _claimed(dossier, candidates: list[Candidate], competing: QuerySet) -> list[Award]:
    """The candidates' nominations in the competing dossiers, matched on identity."""
    keys = {c.subject_key for c in candidates}
    names = {c.name for c in candidates}
    codes = {k[3:] for k in keys if k.startswith("id:")}
    rows = competing.filter(Q(identity_code__in=codes) | Q(full_name__in=names)).select_related(
        "dossier"
    )
    claims = []
    for n in rows:
        key = _subject_of(n)
        if key in keys:
            other = n.dossier
            claims.append(
                Award(
                    key,
                    dossier.award_type.code,
                    other.year,
                    _achievement_of(other),
                    str(_("hồ sơ %(ref)s") % {"ref": other.reference}),
                )
            )
    return claims


def _awarded(candidates: list[Candidate]) -> list[Award]:
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


def _unit_figures(dossier, spec: dict, competing: QuerySet) -> UnitFigures:
    on_record = RegistryEntry.objects.filter(
        organisation_id=dossier.proposer_id, year=dossier.year, status=RegistryStatus.VALID
    )
    return UnitFigures(
        base=on_record.filter(award_code=spec["of"]).count(),
        awarded=on_record.filter(award_code=dossier.award_type.code).count(),
        elsewhere=competing.filter(
            dossier__proposer_id=dossier.proposer_id, dossier__year=dossier.year
        ).count(),
    )


def verdicts(dossier, *, competing: QuerySet) -> list[Verdict]:
    """Every rule's verdict for the dossier's active nominees, with reviewers' overrides
    marked (`overridden=True`). Reads the registry and `competing` (see the module)."""
    rules = dossier.award_type.eligibility or {}
    candidates = _candidates(dossier, list(dossier.active_nominees()))
    results = evaluate(
        rules,
        candidates,
        awarded=_awarded(candidates),
        claimed=_claimed(dossier, candidates, competing),
        unit=_unit_figures(dossier, rules[QUOTA], competing) if QUOTA in rules else None,
    )
    overrides = set(
        EligibilityOverride.objects.filter(dossier_id=dossier.pk).values_list("nominee_id", "rule")
    )
    return [
        Verdict(v.rule, v.passed, v.message, v.evidence, v.nominee_id, overridden=True)
        if not v.passed and (v.nominee_id, v.rule) in overrides
        else v
        for v in results
    ]


def blocking_problems(dossier, *, competing: QuerySet) -> list[Verdict]:
    """The failed verdicts no reviewer has overridden; empty means the dossier may go on."""
    return [v for v in verdicts(dossier, competing=competing) if not v.passed and not v.overridden]
