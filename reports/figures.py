"""The figures provinces publish (issue 16; domain §8), computed by the database.

Every figure is a SQL aggregate: two grouped queries over the registry and the stage clocks
answer the whole page, however many dossiers there are (the tests count the queries with 5
and with 500 awards). Python only reshapes the grouped rows (forms × levels × subject kinds,
and (stage, start day, end day) pairs), never the award or dossier rows themselves.

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
from registry.models import AwardingKind, RegistryEntry, RegistryStatus, SubjectKind
from workflow.deadlines import configured_calendar
from workflow.models import StageDeadline
from workflow.states import StageTier

from .percentiles import median, p90, percent

KINDS = (SubjectKind.COLLECTIVE, SubjectKind.INDIVIDUAL, SubjectKind.HOUSEHOLD)
# Clocks that did not run to the end of their stage: a return stops one (it restarts from
# zero on resubmission, domain §4), a reopening replaces it, a withdrawal ends the dossier.
STOPPED = ("returned", "reopened", "withdrawn")
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
    """Counts per award form, level and subject kind, with shares, kinds and prize money:
    one grouped query."""
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


def _working_day_ordinals(first: date, last: date) -> dict[date, int]:
    """Day -> working days in (first, day]: the difference of two is working_days_between."""
    calendar = configured_calendar(range(first.year, last.year + 1))
    ordinals, count, day = {}, 0, first
    while day <= last:
        if day != first and calendar.is_working_day(day):
            count += 1
        ordinals[day] = count
        day += timedelta(days=1)
    return ordinals


def stage_figures(filters: Filters, *, today: date) -> StageFigures:
    """Time per stage (median, p90, working days) and overdue rates: two grouped queries."""
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
    per_org = list(
        clocks.values("stage__tier", "organisation__name")
        .annotate(total=Count("pk"), late=Count("pk", filter=late))
        .order_by("stage__tier", "organisation__name")
    )
    spans = list(spans)
    histograms: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    if spans:
        first = min(s["started_on"] for s in spans)
        last = max(max(s["ended_on"], s["started_on"]) for s in spans)
        ordinal = _working_day_ordinals(first, last)
        for s in spans:
            days = max(0, ordinal[s["ended_on"]] - ordinal[s["started_on"]])
            histograms[s["stage__tier"]][days] += s["n"]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in per_org:
        totals[row["stage__tier"]][0] += row["total"]
        totals[row["stage__tier"]][1] += row["late"]
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
        OverdueRow(
            tier=row["stage__tier"],
            organisation=row["organisation__name"],
            total=row["total"],
            late=row["late"],
        )
        for row in per_org
    ]
    return StageFigures(stages=stages, overdue=overdue)


def latest_award_year(organisation: Organisation) -> int | None:
    """The last year with an award in the organisation's subtree: the page opens on it."""
    path = organisation.path
    found = RegistryEntry.objects.filter(
        Q(organisation__path__startswith=path)
        | Q(organisation__isnull=True, issuer__path__startswith=path),
        status=RegistryStatus.VALID,
    ).aggregate(last=Max("decision_date"))["last"]
    return found.year if found else None
