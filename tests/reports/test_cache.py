"""The statistics page keeps its figures (reports.cache), and never shows them stale: a new
award, a revocation, a clock opened or closed shows on the very next request."""

from datetime import date

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dossiers.models import DossierStage
from registry.models import RegistryEntry
from registry.services import import_award, revoke_award
from reports import cache
from reports.cache import CACHE_ALIAS
from reports.demo import build_year
from reports.figures import Filters, award_figures, stage_figures
from tests.factories import user
from tests.reports.conftest import YEAR
from workflow.deadlines import close_deadlines, open_deadline

pytestmark = pytest.mark.django_db

URL = "/thong-ke/"


def _page(client, org, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, {"organisation": org.pk, "year": YEAR, **extra})
    assert response.status_code == 200
    seen = {
        "awards": response.context["awards"],
        "stages": response.context["stages"],
        "html": _figures_html(response.content.decode()),
    }
    return seen, len(captured)


def _figures_html(html: str) -> str:
    """The page's figures as the reader sees them: summary, tables and charts (the part
    kept rendered in the cache)."""
    start = html.index("<h2>Tổng hợp</h2>")
    return html[start : html.index('<h2 id="report-forms">')]


def _fresh_html(client, org) -> str:
    """The same part of the page rendered with nothing kept."""
    caches[CACHE_ALIAS].clear()
    return _page(client, org)[0]["html"]


def _totals(context) -> tuple:
    """What a reader of the page sees: the award total and the clocks per stage."""
    awards, stages = context["awards"], context["stages"]
    return (
        awards.total("total"),
        awards.total("individual"),
        tuple((s.tier, s.clocks, s.total, s.late) for s in stages.stages),
    )


def _fresh(org) -> tuple:
    """The same figures computed now, without the cache."""
    filters = Filters(organisation=org, date_from=date(YEAR, 1, 1), date_to=date(YEAR, 12, 31))
    awards = award_figures(filters)
    stages = stage_figures(filters, today=timezone.localdate())
    return (
        awards.total("total"),
        awards.total("individual"),
        tuple((s.tier, s.clocks, s.total, s.late) for s in stages.stages),
    )


def _import(org) -> None:
    import_award(
        by=user("lang-son.vanphong"),
        issuer=org,
        unit=org,
        full_name="Hoàng Văn Minh",
        birth_year=1979,
        award_code="bang-khen-tinh",
        award_name="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        year=YEAR,
        decision_label="120/QĐ-UBND",
        decision_date=date(YEAR, 8, 3),
    )


def test_the_second_request_is_answered_from_the_cache(secretariat_client, seeded_year):
    cold, cold_queries = _page(secretariat_client, seeded_year)
    warm, warm_queries = _page(secretariat_client, seeded_year)
    assert _totals(warm) == _totals(cold) == _fresh(seeded_year)
    assert warm["html"] == cold["html"]
    # The three grouped queries (awards, clock spans, clocks per organisation) and the
    # calendar's two are not asked again; the version's one statement is.
    assert warm_queries <= cold_queries - 4


def test_a_new_award_shows_on_the_next_request(secretariat_client, seeded_year):
    before, _n = _page(secretariat_client, seeded_year)
    _page(secretariat_client, seeded_year)  # kept
    _import(seeded_year)
    after, _n = _page(secretariat_client, seeded_year)
    assert after["awards"].total("total") == before["awards"].total("total") + 1
    assert after["awards"].total("individual") == before["awards"].total("individual") + 1
    assert _totals(after) == _fresh(seeded_year)
    assert after["html"] != before["html"]
    assert after["html"] == _fresh_html(secretariat_client, seeded_year)


def test_a_revoked_award_stops_counting_on_the_next_request(secretariat_client, seeded_year):
    before, _n = _page(secretariat_client, seeded_year)
    _page(secretariat_client, seeded_year)
    entry = RegistryEntry.objects.filter(decision_date__year=YEAR, issuer=seeded_year).first()
    revoke_award(entry.pk, by=user("lang-son.vanphong"), reason="Hồ sơ khai không trung thực")
    after, _n = _page(secretariat_client, seeded_year)
    assert after["awards"].total("total") == before["awards"].total("total") - 1
    assert _totals(after) == _fresh(seeded_year)
    assert after["html"] != before["html"]
    assert after["html"] == _fresh_html(secretariat_client, seeded_year)


def test_a_clock_opened_then_closed_shows_on_the_next_request(secretariat_client, seeded_year):
    stage = DossierStage.objects.filter(tier="provincial").select_related("dossier").first()
    before, _n = _page(secretariat_client, seeded_year)
    _page(secretariat_client, seeded_year)

    open_deadline(stage, start=date(YEAR, 3, 2))  # a new round: a clock still running
    opened, _n = _page(secretariat_client, seeded_year)
    provincial = {s.tier: s for s in before["stages"].stages}["provincial"]
    now_provincial = {s.tier: s for s in opened["stages"].stages}["provincial"]
    assert now_provincial.total == provincial.total + 1
    assert now_provincial.clocks == provincial.clocks  # still running: no stage time yet
    assert _totals(opened) == _fresh(seeded_year)
    assert opened["html"] != before["html"]
    assert opened["html"] == _fresh_html(secretariat_client, seeded_year)

    close_deadlines(stage.dossier, reason="decided")  # the clock stops: a stage time
    closed, _n = _page(secretariat_client, seeded_year)
    closed_provincial = {s.tier: s for s in closed["stages"].stages}["provincial"]
    assert closed_provincial.clocks == provincial.clocks + 1
    assert _totals(closed) == _fresh(seeded_year)
    assert closed["html"] != opened["html"]
    assert closed["html"] == _fresh_html(secretariat_client, seeded_year)


def test_without_the_version_the_cache_would_hide_each_change(
    secretariat_client, seeded_year, monkeypatch
):
    """The protection is the version: with a constant one, the page serves the kept figures
    after an award, a revocation and a clock change (what the tests above rule out)."""
    monkeypatch.setattr(cache, "data_version", lambda: ())
    monkeypatch.setattr("reports.views.data_version", lambda: ())
    kept, _n = _page(secretariat_client, seeded_year)
    _import(seeded_year)
    entry = RegistryEntry.objects.filter(decision_date__year=YEAR, issuer=seeded_year).first()
    revoke_award(entry.pk, by=user("lang-son.vanphong"), reason="Hồ sơ khai không trung thực")
    stage = DossierStage.objects.filter(tier="provincial").select_related("dossier").first()
    open_deadline(stage, start=date(YEAR, 3, 2))
    served, _n = _page(secretariat_client, seeded_year)
    assert _totals(served) == _totals(kept) != _fresh(seeded_year)
    assert served["html"] == kept["html"] != _fresh_html(secretariat_client, seeded_year)


def test_other_filters_are_other_entries(secretariat_client, seeded_year, demo):
    province, _n = _page(secretariat_client, seeded_year)
    commune, _n = _page(secretariat_client, demo["xuat-le"])
    ldtt, _n = _page(secretariat_client, seeded_year, award="ldtt")
    assert commune["awards"].total("total") < province["awards"].total("total")
    assert ldtt["awards"].total("total") < province["awards"].total("total")
    assert _totals(commune) == _fresh(demo["xuat-le"])
    assert len({province["html"], commune["html"], ldtt["html"]}) == 3


def test_a_kept_page_asks_as_many_queries_for_500_awards_as_for_5(secretariat_client, province):
    def grow(n: int, seed: int) -> None:
        build_year(
            province=province,
            year=YEAR,
            dossiers=n,
            seed=seed,
            audit=False,
            created_by=user("lang-son.vanphong"),
            until=date(YEAR, 12, 31),
        )

    grow(5, seed=1)
    _page(secretariat_client, province, award="ldtt")  # warms the per-process calendar
    _first, cold_few = _page(secretariat_client, province)
    _kept, warm_few = _page(secretariat_client, province)
    grow(495, seed=2)
    _first, cold_many = _page(secretariat_client, province)
    _kept, warm_many = _page(secretariat_client, province)
    assert (cold_few, warm_few) == (cold_many, warm_many)
    assert warm_many < cold_many
