"""The statistics of a seeded year match what the registry and the clocks say, counted here
row by row, independently of reports.figures (which asks the database for aggregates)."""

import math
from collections import Counter, defaultdict
from datetime import date

import pytest
from django.utils import timezone

from dossiers.models import Campaign, Dossier
from registry.models import RegistryEntry, RegistryStatus
from registry.services import import_award, revoke_award
from reports.figures import Filters, award_figures, stage_figures
from tests.factories import user
from tests.reports.conftest import YEAR
from workflow.calendar import package_calendar, working_days_between
from workflow.models import StageDeadline

pytestmark = pytest.mark.django_db

TODAY = date(YEAR, 12, 31)


def year_filters(org, **kwargs) -> Filters:
    return Filters(
        organisation=org, date_from=date(YEAR, 1, 1), date_to=date(YEAR, 12, 31), **kwargs
    )


def entries_of_year(org):
    return [
        e
        for e in RegistryEntry.objects.select_related("issuer", "organisation", "nominee")
        if e.status == RegistryStatus.VALID
        and e.decision_date.year == YEAR
        and (e.organisation or e.issuer).path.startswith(org.path)
    ]


def nearest_rank(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[math.ceil(round(share * len(ordered), 9)) - 1]


def test_counts_per_form_and_level_match_the_registry(seeded_year):
    entries = entries_of_year(seeded_year)
    assert len(entries) > 60  # some dossiers carry several nominees
    expected = Counter((e.award_code, e.issuer.level, e.subject_kind) for e in entries)

    figures = award_figures(year_filters(seeded_year))

    got = Counter()
    for row in figures.rows:
        for kind in ("collective", "individual", "household"):
            if getattr(row, kind):
                got[(row.code, row.level, kind)] = getattr(row, kind)
    assert got == expected
    assert figures.total("total") == len(entries)
    # Several forms at several levels: the table is really forms × levels.
    assert len({r.code for r in figures.rows}) >= 5
    assert len({r.level for r in figures.rows}) >= 2


def test_women_and_direct_worker_shares_match_the_nominees(seeded_year):
    individuals = [e for e in entries_of_year(seeded_year) if e.subject_kind == "individual"]
    women = sum(1 for e in individuals if e.nominee.gender == "female")
    direct = sum(1 for e in individuals if e.nominee.is_direct_worker)
    assert 0 < women < len(individuals)
    assert 0 < direct < len(individuals)

    figures = award_figures(year_filters(seeded_year))

    assert (figures.total("women"), figures.total("direct")) == (women, direct)
    assert figures.total("known") == len(individuals)
    assert figures.women_share == f"{women * 100 / len(individuals):.2f}".replace(".", ",") + " %"
    assert figures.direct_share == f"{direct * 100 / len(individuals):.2f}".replace(".", ",") + " %"


def test_an_award_imported_without_a_nominee_is_counted_but_not_in_the_shares(seeded_year):
    before = award_figures(year_filters(seeded_year))
    import_award(
        by=user("lang-son.vanphong"),
        issuer=seeded_year,
        unit=seeded_year,
        full_name="Lý Thị Hoa",
        birth_year=1980,
        award_code="bang-khen-tinh",
        award_name="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        year=YEAR,
        decision_label="99/QĐ-UBND",
        decision_date=date(YEAR, 6, 1),
    )
    after = award_figures(year_filters(seeded_year))
    assert after.total("individual") == before.total("individual") + 1
    assert after.total("known") == before.total("known")  # not counted as a man
    assert after.unknown_individuals == before.unknown_individuals + 1


def test_a_revoked_award_stops_counting(seeded_year):
    before = award_figures(year_filters(seeded_year)).total("total")
    entry = RegistryEntry.objects.filter(decision_date__year=YEAR, issuer=seeded_year).first()
    revoke_award(entry.pk, by=user("lang-son.vanphong"), reason="Phát hiện hồ sơ không trung thực")
    assert award_figures(year_filters(seeded_year)).total("total") == before - 1


def test_awards_outside_the_period_or_the_organisation_are_left_out(seeded_year, demo):
    commune = demo["xuat-le"]
    mine = [e for e in entries_of_year(commune)]
    assert 0 < len(mine) < len(entries_of_year(seeded_year))
    assert award_figures(year_filters(commune)).total("total") == len(mine)
    last_year = Filters(
        organisation=seeded_year, date_from=date(YEAR - 1, 1, 1), date_to=date(YEAR - 1, 12, 31)
    )
    assert award_figures(last_year).total("total") == 0


def test_ad_hoc_thematic_and_prize_money_match_the_registry(seeded_year):
    entries = entries_of_year(seeded_year)
    figures = award_figures(year_filters(seeded_year))
    assert figures.total("ad_hoc") == sum(e.awarding_kind == "ad_hoc" for e in entries) > 0
    assert figures.total("thematic") == sum(e.awarding_kind == "thematic" for e in entries) > 0
    prize = sum(e.prize_amount or 0 for e in entries)
    assert prize > 0
    assert figures.total("prize") == prize
    # LĐTT pays 0.3 × 2 340 000 = 702 000, rounded up to 710 000 (Decree 152/2025).
    assert {e.prize_amount for e in entries if e.award_code == "ldtt"} == {710_000}


def test_filters_by_campaign_award_form_and_level(seeded_year):
    campaign = Campaign.objects.create(
        name="Phong trào Thi đua chuyển đổi số",
        organisation=seeded_year,
        starts_on=date(YEAR, 1, 1),
        ends_on=date(YEAR, 12, 31),
    )
    chosen = list(Dossier.objects.filter(reference__startswith="TK-").order_by("pk")[:7])
    Dossier.objects.filter(pk__in=[d.pk for d in chosen]).update(campaign=campaign)
    entries = entries_of_year(seeded_year)
    in_campaign = [e for e in entries if e.nominee.dossier.campaign_id == campaign.pk]

    assert award_figures(year_filters(seeded_year, campaign_id=campaign.pk)).total("total") == len(
        in_campaign
    )
    ldtt = sum(e.award_code == "ldtt" for e in entries)
    assert award_figures(year_filters(seeded_year, award_code="ldtt")).total("total") == ldtt
    commune_level = sum(e.issuer.level == "commune" for e in entries)
    assert award_figures(year_filters(seeded_year, level="commune")).total("total") == commune_level


def test_median_and_p90_stage_times_match_the_clocks(seeded_year):
    calendar = package_calendar(range(YEAR - 1, YEAR + 2))
    times = defaultdict(list)
    for clock in StageDeadline.objects.select_related("stage"):
        ended = timezone.localtime(clock.closed_at).date()
        times[clock.stage.tier].append(working_days_between(clock.started_on, ended, calendar))
    assert set(times) == {"intermediate", "provincial"}

    stages = {s.tier: s for s in stage_figures(year_filters(seeded_year), today=TODAY).stages}

    for tier, values in times.items():
        assert stages[tier].clocks == len(values)
        assert stages[tier].median == nearest_rank(values, 0.5)
        assert stages[tier].p90 == nearest_rank(values, 0.9)
        assert stages[tier].median <= stages[tier].p90


def test_overdue_rate_per_stage_and_organisation_matches_the_clocks(seeded_year):
    clock = StageDeadline.objects.order_by("pk").first()
    StageDeadline.objects.filter(pk=clock.pk).update(closed_at=None, close_reason="")  # still open
    late = defaultdict(lambda: [0, 0])
    for c in StageDeadline.objects.select_related("stage", "organisation"):
        key = (c.stage.tier, c.organisation.name)
        late[key][0] += 1
        if c.closed_at is None:
            late[key][1] += c.due_on < TODAY
        else:
            late[key][1] += timezone.localtime(c.closed_at).date() > c.due_on
    assert any(v[1] for v in late.values())

    figures = stage_figures(year_filters(seeded_year), today=TODAY)

    assert {(o.tier, o.organisation): [o.total, o.late] for o in figures.overdue} == dict(late)


def test_a_clock_stopped_by_a_return_is_not_a_stage_time(seeded_year):
    before = {
        s.tier: s.clocks for s in stage_figures(year_filters(seeded_year), today=TODAY).stages
    }
    clock = StageDeadline.objects.filter(stage__tier="provincial").first()
    StageDeadline.objects.filter(pk=clock.pk).update(close_reason="returned")
    after = {s.tier: s.clocks for s in stage_figures(year_filters(seeded_year), today=TODAY).stages}
    assert after["provincial"] == before["provincial"] - 1
