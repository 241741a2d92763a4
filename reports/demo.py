"""A year of decided awards, so the statistics page shows real figures on a fresh `make run`.

The awards are history, as if the province had run the year in khenthuong: each dossier went
unit → commune or department → (province), each stage with its clock (`StageDeadline`,
working days from the configured calendar), and ended `decided`, with one registry entry
per nominee, its prize money computed as the decisions room computes it (Decree 152/2025,
base salary 2 340 000 VND, rounded up to 10 000 VND). They are written in bulk, not through
the services: issuing a hundred decisions (Word, numbering, signing) would take minutes,
and the statistics read only these rows. Each dossier still gets its audit row (the state
it is in), so `manage.py check_invariants` stays clean.

`build_year` also feeds the statistics tests and bench/bench_statistics.py (100 000
dossiers): one generator, three sizes.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from audit.services import record_event
from core.text import fold
from decisions.prize import DEFAULT_MULTIPLES, multiple_for, prize_amount
from dossiers.models import (
    AwardType,
    Dossier,
    DossierKind,
    DossierStage,
    Nominee,
    RuleSet,
)
from organisations.demo import NAMES_PER_GENDER, demo_name
from organisations.models import Level, Organisation
from registry.identity import achievement_key, subject_key
from registry.models import RegistryEntry
from registry.tallies import rebuild_award_tallies
from workflow.calendar import add_working_days
from workflow.deadlines import configured_calendar
from workflow.models import StageDeadline
from workflow.states import DossierStatus, StageTier
from workflow.tallies import rebuild_clock_tallies

DEMO_YEAR = 2026  # decided this year, up to today: the page opens on the latest year
DEMO_DOSSIERS = 160
PREFIX = "TK"  # references TK-<year>-00001…: never the services' HS- series
BASE_SALARY = 2_340_000  # VND from 01/07/2024 (Decree 73/2024); decisions.prize_money
BATCH = 2000
# Forms the province decides after its council; the others end at the commune/department.
PROVINCIAL_FORMS = ("cstd-tinh", "bang-khen-tinh", "ttldxs", "co-thi-dua-tinh")
# How often each form appears in a year (the shape of a provincial report).
WEIGHTS = {
    "ldtt": 30,
    "cstdcs": 14,
    "ttldtt": 10,
    "giay-khen-xa": 12,
    "bang-khen-tinh": 16,
    "cstd-tinh": 5,
    "ttldxs": 8,
    "co-thi-dua-tinh": 3,
}


@dataclass
class Built:
    dossiers: int = 0
    nominees: int = 0
    entries: int = 0
    deadlines: int = 0
    references: list[str] = field(default_factory=list)


def _intermediate(unit: Organisation, by_path: dict[str, Organisation]) -> Organisation | None:
    """The unit's nearest ancestor that is a commune or a department in force today."""
    steplen = Organisation.steplen
    for depth in range(unit.depth - 1, 0, -1):
        org = by_path.get(unit.path[: depth * steplen])
        if org and org.level in (Level.COMMUNE, Level.DEPARTMENT) and org.valid_to is None:
            return org
    return None


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


def build_year(
    *,
    province: Organisation,
    year: int,
    dossiers: int,
    seed: int = 16,
    audit: bool = True,
    created_by=None,
    until: date | None = None,
) -> Built:
    """Write `dossiers` decided dossiers of `year` under `province`, with stages, clocks,
    nominees and registry entries, in bulk; return what was written.

    Deterministic for a given `seed`. Decisions fall inside `year` and never after `until`;
    đột xuất ~8 %, chuyên đề ~10 % of dossiers; individuals are men and women at random,
    ~40 % direct workers.
    """
    rng = random.Random(seed)  # noqa: S311 -- demo data, not secrets
    rule_set = RuleSet.objects.get(code="rs-2025")
    forms = {a.code: a for a in AwardType.objects.filter(rule_set=rule_set, code__in=WEIGHTS)}
    codes = [c for c in WEIGHTS if c in forms]
    weights = [WEIGHTS[c] for c in codes]
    tree = list(Organisation.objects.filter(path__startswith=province.path))
    by_path = {o.path: o for o in tree}
    units = [o for o in tree if o.level == Level.UNIT and o.valid_to is None]
    calendar = configured_calendar(range(year - 1, year + 2))
    user = created_by or get_user_model().objects.filter(is_active=True).order_by("pk").first()
    taken = Dossier.objects.filter(reference__startswith=f"{PREFIX}-{year}-").count()

    # Two stages of at most 35 working days each, and a few days between: 110 days.
    last = min(date(year, 12, 31), until or date(year, 12, 31))
    span = max(1, (last - date(year, 1, 5)).days - 110)
    plans = []  # (dossier, [(tier, org, start, closed, due)], nominee specs)
    for i in range(dossiers):
        unit = units[i % len(units)]
        code = rng.choices(codes, weights)[0]
        form = forms[code]
        middle = _intermediate(unit, by_path)
        roll = rng.random()
        kind = (
            DossierKind.AD_HOC
            if roll < 0.08
            else DossierKind.THEMATIC
            if roll < 0.18
            else DossierKind.ANNUAL
        )
        number = taken + i + 1
        reference = f"{PREFIX}-{year}-{number:05d}"
        dossier = Dossier(
            reference=reference,
            proposer=unit,
            award_type=form,
            year=year if kind != DossierKind.ANNUAL else year - 1,
            kind=kind,
            title=f"Đề nghị {form.name} (dữ liệu mẫu thống kê {year})",
            rule_set=rule_set,
            created_by=user,
            status=DossierStatus.DECIDED,
            act_date=date(year, 1, 1) + timedelta(days=rng.randrange(300))
            if kind == DossierKind.AD_HOC
            else None,
            act_description=f"Hành động đột xuất số {number}" if kind == DossierKind.AD_HOC else "",
        )
        # The route: the unit's own step (no clock), the commune or department, the province.
        route = [(StageTier.UNIT, unit)]
        if middle is not None:
            route.append((StageTier.INTERMEDIATE, middle))
        if code in PROVINCIAL_FORMS or middle is None:
            route.append((StageTier.PROVINCIAL, province))
        day = date(year, 1, 5) + timedelta(days=rng.randrange(span))
        stages = []
        for tier, org in route:
            if tier == StageTier.UNIT:
                stages.append((tier, org, None, day, None))
                continue
            limit = 20
            typical = 13 if tier == StageTier.PROVINCIAL else 9
            taken_days = max(1, min(35, int(rng.gauss(typical, 6))))
            start = day + timedelta(days=rng.randrange(1, 4))
            closed = add_working_days(start, taken_days, calendar)
            due = add_working_days(start, limit, calendar)
            stages.append((tier, org, start, closed, due))
            day = closed
        decided_on = day + timedelta(days=rng.randrange(1, 6))
        decided_on = min(decided_on, last)
        issuer = route[-1][1]
        subject = form.subject
        count = rng.choice((1, 1, 2, 3))
        people = []
        for n in range(count):
            if subject == "both":
                who = "collective" if rng.random() < 0.35 else "individual"
            else:
                who = subject
            index = (seed * 7919 + (taken + i) * 3 + n) % (2 * NAMES_PER_GENDER)
            if who == "individual":
                family, given = demo_name(index)
                female = index % 2 == 1
                people.append(
                    {
                        "kind": "individual",
                        "full_name": f"{family} {given}",
                        "birth_year": 1965 + (index % 35),
                        "gender": "female" if female else "male",
                        "position": "Công nhân" if rng.random() < 0.4 else "Chuyên viên",
                        "identity_code": f"{20 + seed % 70:02d}{year % 100:02d}{number:06d}{n:02d}",
                    }
                )
                people[-1]["is_direct_worker"] = people[-1]["position"] == "Công nhân"
            else:
                people.append(
                    {
                        "kind": "collective",
                        "full_name": f"Tổ công tác số {number}-{n + 1}, {unit.name}",
                        "birth_year": None,
                        "gender": "",
                        "position": "",
                        "identity_code": f"tt-{year}-{number}-{n}",
                        "is_direct_worker": False,
                    }
                )
        plans.append((dossier, stages, people, decided_on, issuer))

    built = Built()
    with transaction.atomic():
        for start in range(0, len(plans), BATCH):
            chunk = plans[start : start + BATCH]
            _write(chunk, year=year, built=built)
        # Bulk rows bypass the services that keep the statistics' tallies: recount them.
        rebuild_award_tallies()
        rebuild_clock_tallies(calendar_of=configured_calendar)
        Dossier.objects.filter(reference__in=built.references).update(
            current_stage=Subquery(
                DossierStage.objects.filter(dossier=OuterRef("pk"))
                .order_by("-position")
                .values("pk")[:1]
            )
        )
        if audit:
            for dossier in Dossier.objects.filter(reference__in=built.references).only("pk"):
                record_event(
                    dossier,
                    action="import_history",
                    actor=user,
                    to_state=DossierStatus.DECIDED,
                    reason="Dữ liệu mẫu thống kê (reports.demo)",
                )
    return built


def _write(chunk, *, year: int, built: Built) -> None:
    dossiers = Dossier.objects.bulk_create([plan[0] for plan in chunk])
    built.dossiers += len(dossiers)
    built.references += [d.reference for d in dossiers]
    stage_rows, clock_rows, nominee_rows, entry_meta = [], [], [], []
    for dossier, (_d, stages, people, decided_on, issuer) in zip(dossiers, chunk, strict=True):
        for position, (tier, org, start, closed, _due) in enumerate(stages, start=1):
            stage_rows.append(
                DossierStage(
                    dossier=dossier,
                    position=position,
                    tier=tier,
                    organisation=org,
                    entered_at=_at(start or closed, 8),
                    received_complete_on=start,
                    completed_at=_at(closed, 16),
                )
            )
        for person in people:
            nominee_rows.append(
                Nominee(
                    dossier=dossier,
                    organisation_name=dossier.proposer.name,
                    achievement_summary="Hoàn thành xuất sắc nhiệm vụ được giao.",
                    **person,
                )
            )
            entry_meta.append((dossier, decided_on, issuer))
    stage_rows = DossierStage.objects.bulk_create(stage_rows)
    by_dossier: dict[int, list[DossierStage]] = {}
    for stage in stage_rows:
        by_dossier.setdefault(stage.dossier_id, []).append(stage)
    for dossier, (_d, stages, _p, _day, _issuer) in zip(dossiers, chunk, strict=True):
        for stage, (tier, org, start, closed, due) in zip(
            by_dossier[dossier.pk], stages, strict=True
        ):
            if tier == StageTier.UNIT:
                continue
            clock = StageDeadline(
                stage=stage,
                dossier=dossier,
                organisation=org,
                round=1,
                limit_days=20,
                started_on=start,
                due_on=due,
                closed_at=_at(closed, 16),
                close_reason="decided" if stage is by_dossier[dossier.pk][-1] else "forwarded",
            )
            clock_rows.append(clock)
    StageDeadline.objects.bulk_create(clock_rows)
    built.deadlines += len(clock_rows)
    nominees = Nominee.objects.bulk_create(nominee_rows)
    built.nominees += len(nominees)
    entries = []
    for nominee, (dossier, decided_on, issuer) in zip(nominees, entry_meta, strict=True):
        form = dossier.award_type
        individual, collective = form.prize_multiple, form.prize_multiple_collective
        if individual is None and collective is None:  # a catalogue seeded after migrate
            individual, collective = DEFAULT_MULTIPLES.get(form.code, (None, None))
        multiple = multiple_for(nominee.kind, individual=individual, collective=collective)
        amount = prize_amount(base_salary=BASE_SALARY, multiple=multiple)
        entries.append(
            RegistryEntry(
                subject_key=subject_key(
                    identity_code=nominee.identity_code,
                    full_name=nominee.full_name,
                    birth_year=nominee.birth_year,
                    organisation_name=nominee.organisation_name,
                ),
                subject_kind=nominee.kind,
                full_name=nominee.full_name,
                search_name=fold(nominee.full_name)[:255],
                birth_year=nominee.birth_year,
                position=nominee.position,
                organisation=dossier.proposer,
                organisation_name=nominee.organisation_name,
                award_code=form.code,
                award_name=form.name,
                year=dossier.year,
                achievement_key=achievement_key(
                    kind=dossier.kind,
                    year=dossier.year,
                    campaign_id=dossier.campaign_id,
                    reference=dossier.reference,
                    act_date=dossier.act_date,
                    act_description=dossier.act_description,
                ),
                awarding_kind=dossier.kind,
                achievement=nominee.achievement_summary,
                nominee=nominee,
                decision_label=f"{dossier.pk % 900 + 10}/QĐ-{_symbol(issuer)}",
                decision_date=decided_on,
                issuer=issuer,
                issuer_name=issuer.name,
                prize_amount=amount,
                prize_note="Mức lương cơ sở 2.340.000 đồng" if amount else "",
            )
        )
    RegistryEntry.objects.bulk_create(entries)
    built.entries += len(entries)


def _symbol(issuer: Organisation) -> str:
    return "UBND" if issuer.level in (Level.PROVINCE, Level.COMMUNE) else "SNV"


def seed_statistics() -> None:
    """The demo province's year of decided awards; nothing is added once it exists."""
    if Dossier.objects.filter(reference__startswith=f"{PREFIX}-").exists():
        return
    province = Organisation.objects.get(code="lang-son")
    secretariat = get_user_model().objects.get(username="lang-son.vanphong")
    build_year(
        province=province,
        year=DEMO_YEAR,
        dossiers=DEMO_DOSSIERS,
        created_by=secretariat,
        until=min(timezone.localdate(), date(DEMO_YEAR, 12, 31)),
    )
