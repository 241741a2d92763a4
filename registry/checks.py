"""The facts eligibility is judged on: awards on record and competing nominations.

`verdicts(dossier, competing=...)` feeds the pure rules of registry.eligibility and marks the
reviewers' overrides; `blocking_problems` keeps the failures nobody overrode. The caller
hands in `competing` (dossiers.queries.competing_nominees: the active nominees of the other
open dossiers of the same award code), because which dossiers are open is the workflow's
word, and this room stays below both (issue 11). Everything else is read through the
dossier passed in and its related managers, except who leads a cluster: campaigns owns
that fact and imports the registry, so it hands its reader in at start-up
(`register_leader_rule`, from campaigns.apps) instead of being imported (issue 16).
"""

from collections.abc import Callable, Iterable
from datetime import date

from django.apps import apps
from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

from .eligibility import (
    BASIS_DISCIPLINE,
    QUOTA,
    Award,
    Backing,
    Candidate,
    LeaderRule,
    UnitFigures,
    Verdict,
    category_of,
    evaluate,
)
from .identity import dossier_achievement_key, nominee_subject_key
from .models import (
    AwardingKind,
    EligibilityOverride,
    Hold,
    HoldKind,
    InitiativeUse,
    RegistryEntry,
    RegistryStatus,
)

# The dossier states in which a nomination claims its achievement (and its initiatives):
# workflow.states.OPEN_STATES, spelt out because the registry imports no workflow code
# (issue 11); tests/registry/test_holds_and_rules.py keeps the two equal.
OPEN_STATUSES = (
    "unit_review",
    "intermediate_appraisal",
    "intermediate_council",
    "provincial_appraisal",
    "provincial_council",
    "awaiting_decision",
    "returned",
)
# The statuses of a dossier nobody pursues any more: a nomination there claims nothing.
ENDED_STATUSES = ("draft", "not_approved", "withdrawn")

_achievement_of = dossier_achievement_key
_subject_of = nominee_subject_key


def _period_start(dossier) -> date:
    act_date = getattr(dossier, "act_date", None)
    if dossier.kind == AwardingKind.AD_HOC and act_date:
        return act_date
    return date(dossier.year, 1, 1)


def discipline_ends(keys: Iterable[str]) -> dict[str, date]:
    """subject key → the latest day a discipline imposed on it ended (Decree 152/2025 art. 4
    §4: achievements count from then on)."""
    rows = (
        Hold.objects.filter(subject_key__in=set(keys), counts_from__isnull=False)
        .values("subject_key")
        .annotate(last=Max("counts_from"))
    )
    return {r["subject_key"]: r["last"] for r in rows}


def _candidates(dossier, nominees: list) -> list[Candidate]:
    key = _achievement_of(dossier)
    keys = {n.pk: _subject_of(n) for n in nominees}
    ends = discipline_ends(keys.values())
    initiatives: dict[int, list[int]] = {}
    for nominee_id, initiative_id in InitiativeUse.objects.filter(
        nominee_id__in=list(keys)
    ).values_list("nominee_id", "initiative_id"):
        initiatives.setdefault(nominee_id, []).append(initiative_id)
    return [
        Candidate(
            nominee_id=n.pk,
            name=n.full_name,
            subject_key=keys[n.pk],
            award_code=dossier.award_type.code,
            year=dossier.year,
            achievement_key=key,
            counts_from=ends.get(keys[n.pk]),
            period_start=_period_start(dossier),
            initiative_ids=tuple(sorted(initiatives.get(n.pk, ()))),
        )
        for n in nominees
    ]


def _categories(codes: Iterable[str]) -> dict[str, str]:
    """award code → TITLE or FORM for `codes`, from the catalogue's declared rules (by
    label, issue 11); the rows of those codes only."""
    award_types = apps.get_model("dossiers", "AwardType")
    out: dict[str, str] = {}
    rows = award_types.objects.filter(code__in=set(codes)).values_list("code", "eligibility")
    for code, rules in rows:
        out.setdefault(code, category_of(code, rules or {}))
    return out


def _backings(dossier, candidates: list[Candidate]) -> list[Backing]:
    """The other awards and open proposals the candidates' initiatives already back: a
    valid award on record, or a nominee (not dropped) of another dossier still pursued."""
    wanted = {i for c in candidates for i in c.initiative_ids}
    if not wanted:
        return []
    uses = (
        InitiativeUse.objects.filter(initiative_id__in=wanted)
        .exclude(nominee__dossier_id=dossier.pk)
        .select_related("initiative", "entry", "nominee__dossier__award_type")
    )
    awarded_nominees = dict(
        RegistryEntry.objects.filter(
            status=RegistryStatus.VALID,
            nominee_id__in=[u.nominee_id for u in uses if u.nominee_id],
        ).values_list("nominee_id", "decision_label")
    )
    out = []
    for use in uses:
        source = None
        if use.entry_id and use.entry.status == RegistryStatus.VALID:
            source = _("%(award)s năm %(year)s (QĐ %(label)s)") % {
                "award": use.entry.award_name,
                "year": use.entry.year,
                "label": use.entry.decision_label,
            }
        elif use.nominee_id and use.nominee.dropped_at_id is None:
            other = use.nominee.dossier
            if use.nominee_id in awarded_nominees:
                source = _("%(award)s năm %(year)s (QĐ %(label)s)") % {
                    "award": other.award_type.name,
                    "year": other.year,
                    "label": awarded_nominees[use.nominee_id],
                }
            elif other.status in OPEN_STATUSES:
                source = _("%(award)s năm %(year)s (hồ sơ %(ref)s)") % {
                    "award": other.award_type.name,
                    "year": other.year,
                    "ref": other.reference,
                }
        if source is not None:
            out.append(
                Backing(use.initiative_id, use.initiative.title, use.initiative.document, source)
            )
    return out


# What a claim needs of the other nomination: its key and its dossier's achievement.
_CLAIM_FIELDS = (
    "subject_key",
    "dossier__award_type__code",
    "dossier__award_type__name",
    "dossier__reference",
    "dossier__year",
    "dossier__kind",
    "dossier__campaign_id",
    "dossier__act_date",
    "dossier__act_description",
)


def _claimed(dossier, candidates: list[Candidate], competing: QuerySet) -> list[Award]:
    """The candidates' nominations in the competing dossiers (same form), and in the open
    dossiers of every other form (one achievement, one form), matched on the nominees'
    stored identity key (indexed): only the candidates' own rows are read, however many
    nominees elsewhere share a name (issue 18), as narrow rows."""
    keys = {c.subject_key for c in candidates}
    if not keys:
        return []
    code = dossier.award_type.code
    # No ORDER BY: the nominee's default ordering would join and sort on the dossier.
    same_form = competing.filter(subject_key__in=keys).order_by()
    other_forms = (
        competing.model.objects.filter(subject_key__in=keys, dropped_at__isnull=True)
        .filter(dossier__status__in=OPEN_STATUSES)
        .exclude(dossier_id=dossier.pk)
        .exclude(dossier__award_type__code=code)
        .order_by()
    )
    claims = []
    for row in [*same_form.values(*_CLAIM_FIELDS), *other_forms.values(*_CLAIM_FIELDS)]:
        other = _ClaimingDossier(row)
        claims.append(
            Award(
                row["subject_key"],
                row["dossier__award_type__code"],
                other.year,
                _achievement_of(other),
                str(
                    _("%(award)s, hồ sơ %(ref)s")
                    % {"award": row["dossier__award_type__name"], "ref": other.reference}
                ),
                regular=other.kind == AwardingKind.REGULAR,
            )
        )
    return claims


class _ClaimingDossier:
    """The fields of another dossier that make its achievement key, from a values() row."""

    def __init__(self, row: dict) -> None:
        self.reference = row["dossier__reference"]
        self.year = row["dossier__year"]
        self.kind = row["dossier__kind"]
        self.campaign_id = row["dossier__campaign_id"]
        self.act_date = row["dossier__act_date"]
        self.act_description = row["dossier__act_description"]


def _awarded(dossier, candidates: list[Candidate]) -> list[Award]:
    """Awards on record for the candidates, but those this dossier itself earned: once its
    decision is issued, its own awards are its outcome, not a clash with it."""
    rows = RegistryEntry.objects.filter(
        subject_key__in={c.subject_key for c in candidates}, status=RegistryStatus.VALID
    ).exclude(nominee__dossier_id=dossier.pk)
    return [
        Award(
            r.subject_key,
            r.award_code,
            r.year,
            r.achievement_key,
            str(
                _("%(award)s năm %(year)s, QĐ %(label)s")
                % {"award": r.award_name, "year": r.year, "label": r.decision_label}
            ),
            regular=r.awarding_kind == AwardingKind.REGULAR,
        )
        for r in rows
    ]


def _unit_figures(dossier, spec: dict, competing: QuerySet) -> UnitFigures:
    on_record = RegistryEntry.objects.filter(
        organisation_id=dossier.proposer_id, year=dossier.year, status=RegistryStatus.VALID
    ).exclude(nominee__dossier_id=dossier.pk)
    return UnitFigures(
        base=on_record.filter(award_code=spec["of"], awarding_kind=AwardingKind.REGULAR).count(),
        awarded=on_record.filter(award_code=dossier.award_type.code).count(),
        elsewhere=competing.filter(
            dossier__proposer_id=dossier.proposer_id, dossier__year=dossier.year
        ).count(),
    )


# Who reads a province's "Cờ thi đua only to a cluster's leader" rule and its facts for a
# dossier: (dossier, its active nominees) → LeaderRule, or None where no such rule applies.
LeaderRuleReader = Callable[[object, list], LeaderRule | None]
_leader_rule_readers: list[LeaderRuleReader] = []


def register_leader_rule(reader: LeaderRuleReader) -> None:
    """Called once by the app that owns clusters (campaigns.apps.CampaignsConfig.ready)."""
    if reader not in _leader_rule_readers:
        _leader_rule_readers.append(reader)


def _leader_rule(dossier, nominees: list) -> LeaderRule | None:
    for reader in _leader_rule_readers:
        rule = reader(dossier, nominees)
        if rule is not None:
            return rule
    return None


def verdicts(dossier, *, competing: QuerySet, nominees: Iterable | None = None) -> list[Verdict]:
    """Every rule's verdict for the dossier's active nominees, with reviewers' overrides
    marked (`overridden=True`). Reads the registry and `competing` (see the module).
    `nominees`: the active nominees when the caller has them already (a transition's
    conditions read them once, workflow.conditions.shared_facts)."""
    rules = dossier.eligibility_rules()  # the pinned parameters once received complete
    active = list(dossier.active_nominees() if nominees is None else nominees)
    candidates = _candidates(dossier, active)
    awarded = _awarded(dossier, candidates)
    claimed = _claimed(dossier, candidates, competing)
    # Categories only matter when there is another award to compare with.
    compared = {a.award_code for a in [*awarded, *claimed]}
    results = evaluate(
        rules,
        candidates,
        awarded=awarded,
        claimed=claimed,
        unit=_unit_figures(dossier, rules[QUOTA], competing) if QUOTA in rules else None,
        categories=_categories({dossier.award_type.code, *compared}) if compared else {},
        backings=_backings(dossier, candidates),
        leader_rule=_leader_rule(dossier, active),
    )
    if all(v.passed for v in results):
        return results  # nothing failed: no override can change a verdict
    overrides = set(
        EligibilityOverride.objects.filter(dossier_id=dossier.pk).values_list("nominee_id", "rule")
    )
    return [
        Verdict(v.rule, v.passed, v.message, v.evidence, v.nominee_id, overridden=True)
        if not v.passed and (v.nominee_id, v.rule) in overrides
        else v
        for v in results
    ]


def blocking_problems(
    dossier, *, competing: QuerySet, nominees: Iterable | None = None
) -> list[Verdict]:
    """The failed verdicts no reviewer has overridden; empty means the dossier may go on."""
    return [
        v
        for v in verdicts(dossier, competing=competing, nominees=nominees)
        if not v.passed and not v.overridden
    ]


# --- holds (Decree 152/2025 art. 4 §4) ----------------------------------------------------


def active_holds(subjects: Iterable) -> list[tuple[object, Hold]]:
    """(subject, hold) for each hold not yet cleared on the given nominees (or any objects
    with a nominee's identity fields); one query."""
    subjects = list(subjects)
    keys = {_subject_of(s): s for s in subjects}
    if not keys:
        return []
    holds = Hold.objects.filter(subject_key__in=list(keys), cleared_on__isnull=True).order_by(
        "started_on", "pk"
    )
    return [(keys[h.subject_key], h) for h in holds]


class HoldRefusal:
    """Who is held, why, by whom, since when, and the basis; rendered in the reader's
    language each time it is shown (DomainError.in_languages renders it twice)."""

    def __init__(self, held: list[tuple[object, Hold]]) -> None:
        self.held = [(getattr(s, "full_name", ""), h) for s, h in held]

    def __str__(self) -> str:
        if not self.held:
            return str(
                _(
                    "Có người được đề nghị đang trong thời gian tạm dừng xét khen thưởng "
                    "(%(basis)s)."
                )
                % {"basis": BASIS_DISCIPLINE}
            )
        parts = []
        for name, hold in self.held:
            text = _(
                "%(name)s %(kind)s (%(body)s, từ ngày %(day)s%(document)s): không khen "
                "thưởng, không đề nghị khen thưởng trong thời gian này (%(basis)s)."
            ) % {
                "name": name,
                "kind": HoldKind(hold.kind).label,
                "body": hold.body,
                "day": hold.started_on.strftime("%d/%m/%Y"),
                "document": f"; {hold.document}" if hold.document else "",
                "basis": BASIS_DISCIPLINE,
            }
            parts.append(str(text))
        return " ".join(parts)

    def __bool__(self) -> bool:
        return bool(self.held)


def held_nominees(dossier, *, nominees: Iterable | None = None) -> list[tuple[object, Hold]]:
    """The dossier's active nominees (`nominees` when the caller has them) under a hold,
    with the hold."""
    return active_holds(dossier.active_nominees() if nominees is None else nominees)


def refuse_if_held(nominees: Iterable) -> None:
    """Raise DomainError("held", …) naming every held nominee: a decision is never issued
    for them while the hold stands (called by decisions.services.issue_decision)."""
    held = active_holds(nominees)
    if held:
        raise DomainError("held", HoldRefusal(held), field="nominees")
