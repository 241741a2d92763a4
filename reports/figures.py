"""The figures provinces publish (issue 16; domain §8), computed by the database.

The page's figures (`tallied_award_figures`, `tallied_stage_figures`) are sums over the
tallies that the registry's and the workflow's services keep as they write
(registry.AwardTally, workflow.ClockTally; docs/statistics.md, "Performance"), plus the
clocks still open, read live. `award_figures` and `stage_figures` compute the same figures
from the registry entries and the clocks themselves: the recount the tallies are checked
against (tests/reports/test_figures.py, test_tallies.py; `check_invariants`). Python only
reshapes grouped rows (forms × levels × subject kinds; working-day histograms), never the
award or dossier rows themselves.

- **Awards** are valid `RegistryEntry` rows (a revoked award stops counting, domain §7),
  decided in the period (`decision_date`), held by a unit in the organisation's subtree
  (or, for an award imported without a unit, issued by one). The **level** of an award is
  its issuer's level (province, commune, department…).
- **Women and direct workers** are read from the nominee behind the award (`Nominee.gender`,
  `Nominee.is_direct_worker`); their share is over the individual awards whose nominee is
  known (an award imported from paper has none, and is counted apart, never as a man).
- **Time per stage** is the clocks of the period (`StageDeadline.started_on`) that ran to
  their end (not stopped by a return or reopened): working days from complete receipt to
  the day the clock stopped, on the configured calendar (workflow.deadlines), median and
  90th percentile by nearest rank (reports.percentiles).
- **Overdue** is a clock that stopped after its due day, or is still open past it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from campaigns.catalogue import VOTE_AWARD_CODE
from dossiers.models import Gender
from organisations.models import Level, Organisation, UnitKind
from registry.models import AwardingKind, AwardTally, RegistryEntry, RegistryStatus, SubjectKind
from workflow.deadlines import configured_calendar
from workflow.models import ClockTally, StageDeadline
from workflow.states import StageTier
from workflow.tallies import STOPPED, working_day_ordinals

from .percentiles import median, p90, percent

KINDS = (SubjectKind.COLLECTIVE, SubjectKind.INDIVIDUAL, SubjectKind.HOUSEHOLD)
UNKNOWN_LEVEL = "unknown"
LEVEL_LABELS = {**dict(Level.choices), UNKNOWN_LEVEL: _("Không rõ cấp")}


@dataclass(frozen=True)
class Filters:
    """What the page is asked: one organisation (with its subtree) and a period."""

    organisation: Organisation
    date_from: date
    date_to: date
    campaign_id: int | None = None
    award_code: str = ""
    level: str = ""


@dataclass
class FormRow:
    """One award form at one level: counts per subject kind and the rest."""

    code: str
    name: str
    level: str
    collective: int = 0
    individual: int = 0
    household: int = 0
    women: int = 0
    direct: int = 0
    known: int = 0
    ad_hoc: int = 0
    thematic: int = 0
    prize: int = 0

    @property
    def total(self) -> int:
        return self.collective + self.individual + self.household

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS.get(self.level, self.level))


@dataclass
class AwardFigures:
    rows: list[FormRow] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)  # what report forms lay out

    def total(self, key: str) -> int:
        return self.figures.get(f"all.{key}", 0)

    @property
    def women_share(self) -> str:
        return percent(self.total("women"), self.total("known"))

    @property
    def direct_share(self) -> str:
        return percent(self.total("direct"), self.total("known"))

    @property
    def unknown_individuals(self) -> int:
        return self.total("individual") - self.total("known")


@dataclass(frozen=True)
class StageRow:
    tier: str
    clocks: int
    median: int | None
    p90: int | None
    total: int  # every clock of the period at this stage, finished or not
    late: int

    @property
    def label(self) -> str:
        return str(StageTier(self.tier).label)

    @property
    def overdue_rate(self) -> str:
        return percent(self.late, self.total)


@dataclass(frozen=True)
class OverdueRow:
    tier: str
    organisation: str
    total: int
    late: int

    @property
    def label(self) -> str:
        return str(StageTier(self.tier).label)

    @property
    def rate(self) -> str:
        return percent(self.late, self.total)


@dataclass
class StageFigures:
    stages: list[StageRow] = field(default_factory=list)
    overdue: list[OverdueRow] = field(default_factory=list)


def _awards_in(filters: Filters):
    path = filters.organisation.path
    entries = RegistryEntry.objects.filter(
        Q(organisation__path__startswith=path)
        | Q(organisation__isnull=True, issuer__path__startswith=path),
        status=RegistryStatus.VALID,
        decision_date__range=(filters.date_from, filters.date_to),
    )
    if filters.campaign_id:
        entries = entries.filter(nominee__dossier__campaign_id=filters.campaign_id)
    if filters.award_code:
        entries = entries.filter(award_code=filters.award_code)
    if filters.level:
        entries = entries.filter(issuer__level=filters.level)
    return entries


def award_figures(filters: Filters) -> AwardFigures:
    """The award figures counted from the registry itself (every award of the period,
    joined to its nominee): the reference the tallies are checked against (tests,
    `check_invariants`). One grouped query."""
    individual = Q(subject_kind=SubjectKind.INDIVIDUAL)
    grouped = (
        _awards_in(filters)
        .values("award_code", "issuer__level", "subject_kind")
        .annotate(
            name=Max("award_name"),
            n=Count("pk"),
            women=Count("pk", filter=individual & Q(nominee__gender=Gender.FEMALE)),
            direct=Count("pk", filter=individual & Q(nominee__is_direct_worker=True)),
            known=Count("pk", filter=individual & Q(nominee__isnull=False)),
            ad_hoc=Count("pk", filter=Q(awarding_kind=AwardingKind.AD_HOC)),
            thematic=Count("pk", filter=Q(awarding_kind=AwardingKind.THEMATIC)),
            enterprise=Count(
                "pk",
                filter=Q(
                    subject_kind=SubjectKind.COLLECTIVE, organisation__kind=UnitKind.ENTERPRISE
                ),
            ),
            prize=Sum("prize_amount"),
            prized=Count("prize_amount"),
        )
        .order_by()
    )
    return _award_figures(grouped)


# The page's figures, the tally columns summed, named as the recount names them (an
# annotation may not take a field's name).
_SUMMED = ("n", "women", "direct", "known", "ad_hoc", "thematic", "enterprise", "prize", "prized")


def _whole_months_and_days(first: date, last: date, field: str) -> Q:
    """The tally rows of [first, last]: the months it covers whole from the month rows
    (`whole_month`, dated the 1st), its ragged ends from the day rows."""
    months_from = first if first.day == 1 else _next_month(first)
    # The 1st after the last month covered whole (31/12 -> 01/01; 30/09 -> 01/10; 15/06 -> 01/06).
    months_to = (last + timedelta(days=1)).replace(day=1)
    if months_from >= months_to:  # no month covered whole
        return Q(whole_month=False, **{f"{field}__range": (first, last)})
    rows = Q(whole_month=True, **{f"{field}__gte": months_from, f"{field}__lt": months_to})
    if first < months_from:
        rows |= Q(whole_month=False, **{f"{field}__gte": first, f"{field}__lt": months_from})
    if months_to <= last:
        rows |= Q(whole_month=False, **{f"{field}__range": (months_to, last)})
    return rows


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def tallied_award_figures(filters: Filters) -> AwardFigures:
    """Counts per award form, level and subject kind, with shares, kinds and prize money:
    one grouped query over the award tallies (registry.AwardTally: the month rows of the
    months the period covers whole, the day rows of its ragged ends), equal to
    `award_figures` (the recount) by construction and by test."""
    tallies = AwardTally.objects.filter(
        _whole_months_and_days(filters.date_from, filters.date_to, "decision_date"),
        unit__path__startswith=filters.organisation.path,
    )
    if filters.campaign_id:
        tallies = tallies.filter(campaign_id=filters.campaign_id)
    if filters.award_code:
        tallies = tallies.filter(award_code=filters.award_code)
    if filters.level:
        tallies = tallies.filter(issuer__level=filters.level)
    # The unit's kind is read now, as the recount reads it (an award of a unit whose kind
    # changed counts as the unit is).
    enterprise = Q(subject_kind=SubjectKind.COLLECTIVE, by_issuer=False) & Q(
        unit__kind=UnitKind.ENTERPRISE
    )
    grouped = (
        tallies.values("award_code", "issuer__level", "subject_kind")
        .annotate(
            name=Max("award_name"),
            s_n=Sum("count"),
            s_women=Sum("women"),
            s_direct=Sum("direct"),
            s_known=Sum("known"),
            s_ad_hoc=Sum("count", filter=Q(awarding_kind=AwardingKind.AD_HOC), default=0),
            s_thematic=Sum("count", filter=Q(awarding_kind=AwardingKind.THEMATIC), default=0),
            s_enterprise=Sum("count", filter=enterprise, default=0),
            s_prize=Sum("prize"),
            s_prized=Sum("prized"),
        )
        .order_by()
    )
    rows = [{**g, **{name: g[f"s_{name}"] for name in _SUMMED}} for g in grouped]
    # A key whose awards were all revoked keeps no row (registry.tallies), but a group
    # summed to nothing is dropped all the same, as the recount never sees it.
    return _award_figures(g for g in rows if g["n"])


def _award_figures(grouped) -> AwardFigures:
    """The page's tables from rows grouped by (award_code, issuer__level, subject_kind)."""
    rows: dict[tuple[str, str], FormRow] = {}
    figures: dict[str, int] = defaultdict(int)
    for g in grouped:
        level = g["issuer__level"] or UNKNOWN_LEVEL
        code, kind = g["award_code"], g["subject_kind"]
        row = rows.setdefault((code, level), FormRow(code=code, name=g["name"], level=level))
        setattr(row, kind, getattr(row, kind) + g["n"])
        for name in ("women", "direct", "known", "ad_hoc", "thematic"):
            setattr(row, name, getattr(row, name) + g[name])
        row.prize += g["prize"] or 0
        for prefix in (f"form.{code}", f"level.{level}", f"form.{code}@{level}", "all"):
            figures[f"{prefix}.{kind}"] += g["n"]
            figures[f"{prefix}.total"] += g["n"]
            for name in ("women", "direct", "known", "ad_hoc", "thematic", "enterprise"):
                figures[f"{prefix}.{name}"] += g[name]
            figures[f"{prefix}.prize"] += g["prize"] or 0
            figures[f"{prefix}.prized"] += g["prized"]
    ordered = sorted(rows.values(), key=lambda r: (-r.total, r.name, r.level))
    return AwardFigures(rows=ordered, figures=dict(figures))


def _clocks_in(filters: Filters):
    clocks = (
        StageDeadline.objects.filter(
            organisation__path__startswith=filters.organisation.path,
            started_on__range=(filters.date_from, filters.date_to),
        )
        .exclude(close_reason="reopened")
        # A cluster's vote runs as a dossier of its own (campaigns.catalogue): not an award.
        .exclude(dossier__award_type__code=VOTE_AWARD_CODE)
    )
    if filters.campaign_id:
        clocks = clocks.filter(dossier__campaign_id=filters.campaign_id)
    if filters.award_code:
        clocks = clocks.filter(dossier__award_type__code=filters.award_code)
    if filters.level:
        clocks = clocks.filter(organisation__level=filters.level)
    return clocks


def stage_figures(filters: Filters, *, today: date) -> StageFigures:
    """The stage figures counted from the clocks themselves (each joined to its stage,
    dossier and award form): the reference the tallies are checked against. Two grouped
    queries."""
    clocks = _clocks_in(filters)
    spans = (
        clocks.filter(closed_at__isnull=False)
        .exclude(close_reason__in=STOPPED)
        .annotate(ended_on=TruncDate("closed_at"))
        .values("stage__tier", "started_on", "ended_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    late = Q(closed_at__isnull=False, closed_at__date__gt=F("due_on")) | Q(
        closed_at__isnull=True, due_on__lt=today
    )
    per_org = (
        clocks.values("stage__tier", "organisation__name")
        .annotate(total=Count("pk"), late=Count("pk", filter=late))
        .order_by()
    )
    spans = list(spans)
    histograms: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    if spans:
        first = min(min(s["ended_on"], s["started_on"]) for s in spans)
        last = max(max(s["ended_on"], s["started_on"]) for s in spans)
        ordinal = working_day_ordinals(first, last, configured_calendar)
        for s in spans:
            days = max(0, ordinal[s["ended_on"]] - ordinal[s["started_on"]])
            histograms[s["stage__tier"]][days] += s["n"]
    return _stage_figures(
        histograms,
        [(r["stage__tier"], r["organisation__name"], r["total"], r["late"]) for r in per_org],
    )


def tallied_stage_figures(filters: Filters, *, today: date) -> StageFigures:
    """Time per stage (median, p90, working days) and overdue rates: one grouped query
    over the clock tallies (workflow.ClockTally: the closed clocks), one over the clocks
    still open (few; whether one is late depends on `today`)."""
    path = filters.organisation.path
    tallies = ClockTally.objects.filter(
        _whole_months_and_days(filters.date_from, filters.date_to, "started_on"),
        organisation__path__startswith=path,
    ).exclude(award_code=VOTE_AWARD_CODE)  # a cluster's vote: not an award (see _clocks_in)
    if filters.campaign_id:
        tallies = tallies.filter(campaign_id=filters.campaign_id)
    if filters.award_code:
        tallies = tallies.filter(award_code=filters.award_code)
    if filters.level:
        tallies = tallies.filter(organisation__level=filters.level)
    # One pass over the tally rows for both tables (the stage times read the finished
    # clocks' working days, the overdue table every clock per organisation): grouped by
    # both keys it returns a few hundred rows, and saves a second scan of the period's
    # thousands (docs/statistics.md, "Performance").
    closed = (
        tallies.values("tier", "organisation__name", "days", "finished", "late")
        .annotate(n=Sum("count"))
        .order_by()
    )
    still_open = (
        _clocks_in(filters)
        .filter(closed_at__isnull=True)
        .values("stage__tier", "organisation__name")
        .annotate(total=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
        .order_by()
    )
    per_org: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    histograms: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for r in closed:
        counts = per_org[(r["tier"], r["organisation__name"])]
        counts[0] += r["n"]
        if r["late"]:
            counts[1] += r["n"]
        if r["finished"] and r["n"]:
            histograms[r["tier"]][r["days"]] += r["n"]
    for r in still_open:
        per_org[(r["stage__tier"], r["organisation__name"])][0] += r["total"]
        per_org[(r["stage__tier"], r["organisation__name"])][1] += r["late"]
    return _stage_figures(
        histograms,
        [(tier, name, total, late) for (tier, name), (total, late) in per_org.items() if total],
    )


def _stage_figures(histograms: dict[str, dict[int, int]], per_org: list[tuple]) -> StageFigures:
    """The stage tables from each tier's histogram of finished clocks (working days ->
    clocks) and (tier, organisation name, clocks, late) rows of every clock."""
    per_org = sorted(per_org, key=lambda r: (r[0], r[1]))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for tier, _name, total, late in per_org:
        totals[tier][0] += total
        totals[tier][1] += late
    stages = [
        StageRow(
            tier=tier,
            clocks=sum(histograms[tier].values()),
            median=median(histograms[tier]),
            p90=p90(histograms[tier]),
            total=totals[tier][0],
            late=totals[tier][1],
        )
        for tier in StageTier.values
        if tier in histograms or tier in totals
    ]
    overdue = [
        OverdueRow(tier=tier, organisation=name, total=total, late=late)
        for tier, name, total, late in per_org
    ]
    return StageFigures(stages=stages, overdue=overdue)


def latest_award_year(organisation: Organisation) -> int | None:
    """The last year with an award in the organisation's subtree: the page opens on it."""
    found = AwardTally.objects.filter(
        unit__path__startswith=organisation.path, count__gt=0
    ).aggregate(last=Max("decision_date"))["last"]
    return found.year if found else None
