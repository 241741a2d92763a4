"""The statistics page reads tallies (registry.AwardTally, workflow.ClockTally) that the
services keep as they write: the page's figures equal the recount from the registry and the
clocks (reports.figures.award_figures / stage_figures, themselves checked against counts
made row by row in test_figures.py) for every filter, and stay equal after each kind of
write; a tally written around the services is reported by check_invariants."""

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from dossiers.models import Campaign, Dossier, DossierStage
from integrity.invariants import tallies_match_rows
from interchange import services as interchange
from registry.models import RegistryEntry
from registry.services import import_award, revoke_award
from registry.tallies import award_tally_differences
from reports.demo import build_year
from reports.figures import (
    Filters,
    award_figures,
    latest_award_year,
    stage_figures,
    tallied_award_figures,
    tallied_stage_figures,
)
from tests.decisions.helpers import decision_for, issue
from tests.factories import user
from tests.interchange.test_award_import import row, xlsx
from tests.reports.conftest import YEAR
from tests.reports.test_figures import entries_of_year
from workflow.deadlines import close_deadlines, configured_calendar, open_deadline
from workflow.models import ClockTally, StageDeadline
from workflow.tallies import clock_tally_differences

pytestmark = pytest.mark.django_db

TODAY = date(YEAR, 12, 31)


def year_filters(org, **kwargs) -> Filters:
    return Filters(
        organisation=org, date_from=date(YEAR, 1, 1), date_to=date(YEAR, 12, 31), **kwargs
    )


def assert_page_equals_recount(filters: Filters, *, today: date = TODAY) -> None:
    assert tallied_award_figures(filters) == award_figures(filters)
    assert tallied_stage_figures(filters, today=today) == stage_figures(filters, today=today)


def assert_tallies_exact() -> None:
    assert award_tally_differences() == []
    assert clock_tally_differences(calendar_of=configured_calendar) == []


@pytest.fixture
def campaign_year(demo, province, monkeypatch):
    """The seeded year, a third of its dossiers in a campaign from the start (as a campaign's
    dossiers are: chosen when the dossier is made, never edited after the award)."""
    campaign = Campaign.objects.create(
        name="Phong trào Thi đua chuyển đổi số",
        organisation=province,
        starts_on=date(YEAR, 1, 1),
        ends_on=date(YEAR, 12, 31),
    )
    bulk_create = Dossier.objects.bulk_create

    def in_campaign(rows, *args, **kwargs):
        for i, dossier in enumerate(rows):
            if i % 3 == 0:
                dossier.campaign = campaign
        return bulk_create(rows, *args, **kwargs)

    monkeypatch.setattr(Dossier.objects, "bulk_create", in_campaign)
    build_year(
        province=province,
        year=YEAR,
        dossiers=60,
        created_by=user("lang-son.vanphong"),
        until=date(YEAR, 12, 31),
    )
    monkeypatch.undo()
    return campaign


@pytest.mark.parametrize(
    "asked",
    [
        {},
        {"award_code": "ldtt"},
        {"award_code": "giay-khen-xa"},
        {"level": "commune"},
        {"level": "province"},
        {"campaign": True},
        {"campaign": True, "level": "commune"},
        {"commune": True},
        {"commune": True, "award_code": "ldtt"},
        {"range": (date(YEAR, 4, 1), date(YEAR, 9, 30))},
        {"range": (date(YEAR, 3, 15), date(YEAR, 10, 10))},  # ragged ends: day rows
        {"range": (date(YEAR, 2, 3), date(YEAR, 2, 27))},  # inside one month
        {"range": (date(YEAR, 6, 15), date(YEAR, 6, 15))},
    ],
)
def test_the_page_s_figures_equal_the_recount_for_every_filter(
    campaign_year, province, demo, asked
):
    asked = dict(asked)
    # Each filter of a whole year finds something (a day, or a commune's form, may not).
    expect_some = asked.get("award_code") in (None, "ldtt") and not set(asked) & {"range"}
    org = demo["xuat-le"] if asked.pop("commune", False) else province
    if asked.pop("campaign", False):
        asked["campaign_id"] = campaign_year.pk
    first, last = asked.pop("range", (date(YEAR, 1, 1), date(YEAR, 12, 31)))
    filters = Filters(organisation=org, date_from=first, date_to=last, **asked)

    tallied = tallied_award_figures(filters)

    assert tallied == award_figures(filters)
    assert tallied_stage_figures(filters, today=TODAY) == stage_figures(filters, today=TODAY)
    if expect_some:
        assert tallied.total("total") > 0


def test_the_campaign_filter_counts_the_campaign_s_awards(campaign_year, province):
    entries = entries_of_year(province)
    mine = [e for e in entries if e.nominee and e.nominee.dossier.campaign_id == campaign_year.pk]
    assert 0 < len(mine) < len(entries)
    figures = tallied_award_figures(year_filters(province, campaign_id=campaign_year.pk))
    assert figures.total("total") == len(mine)


def test_tallies_equal_the_recount_after_each_kind_of_write(seeded_year, demo):
    province = seeded_year
    today = timezone.localdate()  # a decision bears the real day it is signed
    every = Filters(
        organisation=province, date_from=date(YEAR - 1, 1, 1), date_to=date(today.year, 12, 31)
    )
    assert_tallies_exact()  # the bulk load recounted them (reports.demo)
    before = tallied_award_figures(every).total("total")

    # A decision issued through the services: record_awards.
    _dossier, draft, _clerk = decision_for(demo["th-hop-thanh"], nominees=3)
    decision = issue(draft, by=user("lang-son.lanhdao"), on=today)
    assert RegistryEntry.objects.filter(decision=decision).count() == 3
    assert_tallies_exact()
    assert tallied_award_figures(every).total("total") == before + 3
    assert_page_equals_recount(every)

    # A revocation: revoke_award.
    entry = RegistryEntry.objects.filter(decision=decision).first()
    revoke_award(entry.pk, by=user("lang-son.vanphong"), reason="Hồ sơ khai không trung thực")
    assert_tallies_exact()
    assert tallied_award_figures(every).total("total") == before + 2

    # An award from paper: import_award.
    import_award(
        by=user("lang-son.vanphong"),
        issuer=province,
        unit=province,
        full_name="Lý Thị Hoa",
        birth_year=1980,
        award_code="bang-khen-tinh",
        award_name="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        year=YEAR,
        decision_label="99/QĐ-UBND",
        decision_date=date(YEAR, 6, 1),
    )
    assert_tallies_exact()
    assert tallied_award_figures(every).total("total") == before + 3

    # Past awards from a file: interchange.import_past_awards.
    done = interchange.import_past_awards(
        xlsx([row(**{"Năm": YEAR - 1, "Ngày quyết định": f"20/12/{YEAR - 1}"})]),
        by=user("hop-thanh.vanphong"),
        dry_run=False,
        today=TODAY,
    )
    assert done.created == 1
    assert_tallies_exact()
    assert tallied_award_figures(every).total("total") == before + 4

    # A clock opened, then closed: close_deadlines.
    stage = DossierStage.objects.filter(tier="provincial").select_related("dossier").first()
    open_deadline(stage, start=date(YEAR, 3, 2))
    closed_before = ClockTally.objects.filter(started_on=date(YEAR, 3, 2)).count()
    close_deadlines(stage.dossier, reason="decided")
    assert ClockTally.objects.filter(started_on=date(YEAR, 3, 2)).count() == closed_before + 1
    assert_tallies_exact()
    assert_page_equals_recount(every, today=today)
    assert tallies_match_rows() == []


def test_a_return_is_tallied_as_a_stopped_clock_not_a_stage_time(seeded_year):
    stage = DossierStage.objects.filter(tier="provincial").select_related("dossier").first()
    provincial = {
        s.tier: s for s in tallied_stage_figures(year_filters(seeded_year), today=TODAY).stages
    }
    open_deadline(stage, start=date(YEAR, 3, 2))
    close_deadlines(stage.dossier, reason="returned")
    after = {
        s.tier: s for s in tallied_stage_figures(year_filters(seeded_year), today=TODAY).stages
    }
    assert after["provincial"].clocks == provincial["provincial"].clocks
    assert after["provincial"].total == provincial["provincial"].total + 1
    assert_tallies_exact()


def test_an_open_clock_is_read_live_and_turns_late_with_the_date(seeded_year):
    stage = DossierStage.objects.filter(tier="provincial").select_related("dossier").first()
    clock = open_deadline(stage, start=date(YEAR, 3, 2))
    filters = year_filters(seeded_year)
    on_time = {s.tier: s for s in tallied_stage_figures(filters, today=clock.due_on).stages}
    later = {s.tier: s for s in tallied_stage_figures(filters, today=TODAY).stages}
    assert later["provincial"].late == on_time["provincial"].late + 1
    assert_page_equals_recount(filters, today=clock.due_on)
    assert_page_equals_recount(filters, today=TODAY)


def test_the_page_opens_on_the_last_year_of_the_tallies(seeded_year):
    assert latest_award_year(seeded_year) == YEAR
    RegistryEntry.objects.update(status="revoked")
    call_command("rebuild_tallies")
    assert latest_award_year(seeded_year) is None


def test_check_invariants_reports_a_tally_written_around_the_services(seeded_year):
    assert tallies_match_rows() == []
    entry = RegistryEntry.objects.filter(prize_amount__isnull=False).first()
    RegistryEntry.objects.filter(pk=entry.pk).update(prize_amount=entry.prize_amount + 10_000)
    StageDeadline.objects.filter(pk=StageDeadline.objects.order_by("pk").first().pk).update(
        close_reason="returned"
    )

    found = [str(v) for v in tallies_match_rows()]

    # The prize: one award key (its day row and its month row); the clock: it left one key
    # and joined another (day and month rows each).
    assert len(found) == 6
    awards = [v for v in found if "award tally" in v]
    assert len(awards) == 2
    for award in awards:
        tallied, recounted = map(int, re.search(r"prize (\d+) \(recount (\d+)\)", award).groups())
        assert recounted - tallied == 10_000
    assert sum("clock tally" in v and "finished=" in v for v in found) == 4
    call_command("rebuild_tallies")
    assert tallies_match_rows() == []
    assert_page_equals_recount(year_filters(seeded_year))


def test_a_rebuild_shows_on_the_next_request(client, seeded_year):
    """A rebuild changes no award or clock, only the tallies: the kept page must not hide
    it (the tallies' ids are in reports.cache.data_version)."""
    client.force_login(user("lang-son.vanphong"))
    query = {"organisation": seeded_year.pk, "year": YEAR}
    kept = client.get("/thong-ke/", query).context["awards"].total("prize")
    assert client.get("/thong-ke/", query).context["awards"].total("prize") == kept
    entry = RegistryEntry.objects.filter(prize_amount__isnull=False).first()
    RegistryEntry.objects.filter(pk=entry.pk).update(prize_amount=entry.prize_amount + 10_000)
    call_command("rebuild_tallies")

    assert client.get("/thong-ke/", query).context["awards"].total("prize") == kept + 10_000


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ((4, 20), (6, 10)),  # ragged both ends, May whole
        ((4, 19), (5, 31)),  # ragged start, May whole, ending on a month's last day
        ((5, 1), (6, 1)),  # May whole, one day of June
        ((5, 2), (5, 31)),  # inside May, up to its last day
        ((4, 1), (6, 30)),  # whole months only
    ],
)
def test_a_period_with_ragged_ends_counts_each_edge_day_once(seeded_year, first, last):
    """Awards on the days where month rows and day rows meet (the 1st, a month's last day,
    the period's own first and last days) are each counted once."""
    for month, day in ((4, 19), (4, 20), (4, 30), (5, 1), (5, 31), (6, 1), (6, 10), (6, 30)):
        import_award(
            by=user("lang-son.vanphong"),
            issuer=seeded_year,
            unit=seeded_year,
            full_name=f"Nguyễn Văn Biên {month}-{day}",
            birth_year=1980,
            award_code="bang-khen-tinh",
            award_name="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
            year=YEAR,
            decision_label=f"{month}{day}/QĐ-UBND",
            decision_date=date(YEAR, month, day),
        )
    filters = Filters(
        organisation=seeded_year, date_from=date(YEAR, *first), date_to=date(YEAR, *last)
    )
    in_period = [
        e
        for e in entries_of_year(seeded_year)
        if filters.date_from <= e.decision_date <= filters.date_to
    ]

    assert tallied_award_figures(filters).total("total") == len(in_period)
    assert_page_equals_recount(filters)
