"""The statistics page keeps the HTML drawn from its figures, the report forms' previews
included (reports.cache.page_key), and never shows it stale: a new award, an edited report
form, a new or edited campaign shows on the very next request. Each part of the key is
switched off once, to show that the part is what protects the page."""

from datetime import date

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns import services
from dossiers.models import Campaign, CampaignKind
from registry.services import import_award
from reports import cache
from reports.cache import CACHE_ALIAS
from reports.models import ReportForm
from tests.factories import user
from tests.reports.conftest import YEAR

pytestmark = pytest.mark.django_db

URL = "/thong-ke/"
MOVEMENTS = "TT18/2025-PTTĐ"
AWARDS = "TT18/2025-KT-TINH"


def _get(client, org, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, {"organisation": org.pk, "year": YEAR, **extra})
    assert response.status_code == 200
    return response, len(captured)


def _figures(response) -> str:
    html = response.content.decode()
    return html[html.index("<h2>Tổng hợp</h2>") : html.index("</main>")]


def _previews(client, org) -> str:
    """The report forms' previews, as the reader sees them."""
    html = _get(client, org)[0].content.decode()
    return html[html.index('<h2 id="report-forms">') : html.index("</main>")]


def _fresh_previews(client, org) -> str:
    caches[CACHE_ALIAS].clear()
    return _previews(client, org)


def _preview_of(previews: str, code: str) -> str:
    start = previews.index(f"{code}: ")
    return previews[start : previews.index("</section>", start)]


def _launch(demo, kind=CampaignKind.YEARLY, starts_on=date(YEAR, 3, 1)) -> Campaign:
    return services.launch_campaign(
        organisation=demo["lang-son"],
        by=user("lang-son.vanphong"),
        name=f"Phong trào thi đua {kind} {starts_on}",
        kind=kind,
        starts_on=starts_on,
        ends_on=date(YEAR, 12, 31),
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


def _rename_a_row(code: str, label: str) -> None:
    form = ReportForm.objects.get(code=code)
    form.layout["rows"][0]["label"] = label
    form.save()


def test_a_warm_request_draws_no_figure_and_no_preview(secretariat_client, seeded_year):
    cold, cold_queries = _get(secretariat_client, seeded_year)
    warm, warm_queries = _get(secretariat_client, seeded_year)
    drawn = {t.name for t in warm.templates}
    assert "reports/_figures.html" in {t.name for t in cold.templates}
    assert "reports/_figures.html" not in drawn
    assert "components/summary_list.html" not in drawn
    assert _figures(warm) == _figures(cold)
    assert warm_queries <= cold_queries - 4
    # Session and user 2, the version 1, the filters 4 (the organisations' paths and rows,
    # the award forms, the campaigns: each read once), the report forms 1, the campaigns'
    # figures 1, the page frame 4: 13.
    assert warm_queries <= 13, warm_queries


def test_an_edited_report_form_shows_on_the_next_request(secretariat_client, seeded_year):
    before = _previews(secretariat_client, seeded_year)
    assert _previews(secretariat_client, seeded_year) == before  # kept
    _rename_a_row(AWARDS, "Dòng đã sửa trong trang quản trị")
    after = _previews(secretariat_client, seeded_year)
    assert "Dòng đã sửa trong trang quản trị" in _preview_of(after, AWARDS)
    assert after == _fresh_previews(secretariat_client, seeded_year)


def test_a_report_form_edited_by_sql_shows_too(secretariat_client, seeded_year):
    _previews(secretariat_client, seeded_year)
    ReportForm.objects.filter(code=AWARDS).update(note="Ghi chú sửa thẳng trong cơ sở dữ liệu")
    after = _previews(secretariat_client, seeded_year)
    assert "Ghi chú sửa thẳng trong cơ sở dữ liệu" in _preview_of(after, AWARDS)


def test_a_new_campaign_and_an_edited_one_show_on_the_next_request(
    secretariat_client, seeded_year, demo
):
    before = _preview_of(_previews(secretariat_client, seeded_year), MOVEMENTS)
    campaign = _launch(demo)
    launched = _preview_of(_previews(secretariat_client, seeded_year), MOVEMENTS)
    assert launched != before
    assert launched == _preview_of(_fresh_previews(secretariat_client, seeded_year), MOVEMENTS)

    Campaign.objects.filter(pk=campaign.pk).update(kind=CampaignKind.THEMATIC)
    edited = _preview_of(_previews(secretariat_client, seeded_year), MOVEMENTS)
    assert edited != launched
    assert edited == _preview_of(_fresh_previews(secretariat_client, seeded_year), MOVEMENTS)


def test_a_new_award_shows_in_the_previews_on_the_next_request(secretariat_client, seeded_year):
    before = _preview_of(_previews(secretariat_client, seeded_year), AWARDS)
    _import(seeded_year)
    after = _preview_of(_previews(secretariat_client, seeded_year), AWARDS)
    assert after != before
    assert after == _preview_of(_fresh_previews(secretariat_client, seeded_year), AWARDS)


def test_without_the_report_forms_in_the_key_an_edit_would_stay_hidden(
    secretariat_client, seeded_year, monkeypatch
):
    monkeypatch.setattr(cache, "report_forms_version", lambda forms: ())
    kept = _previews(secretariat_client, seeded_year)
    _rename_a_row(AWARDS, "Dòng đã sửa trong trang quản trị")
    assert _previews(secretariat_client, seeded_year) == kept
    assert "Dòng đã sửa" in _fresh_previews(secretariat_client, seeded_year)


def test_without_the_campaigns_in_the_key_a_campaign_would_stay_hidden(
    secretariat_client, seeded_year, demo, monkeypatch
):
    monkeypatch.setattr(cache, "movements_version", lambda movements: ())
    kept = _previews(secretariat_client, seeded_year)
    _launch(demo)
    assert _previews(secretariat_client, seeded_year) == kept
    assert _fresh_previews(secretariat_client, seeded_year) != kept


def test_without_the_data_version_a_new_award_would_stay_hidden_in_the_previews(
    secretariat_client, seeded_year, monkeypatch
):
    monkeypatch.setattr("reports.views.data_version", lambda: ())
    kept = _previews(secretariat_client, seeded_year)
    _import(seeded_year)
    assert _previews(secretariat_client, seeded_year) == kept
    assert _fresh_previews(secretariat_client, seeded_year) != kept


def test_the_filter_form_is_labelled_described_and_shows_the_choice(
    secretariat_client, seeded_year, demo
):
    commune = demo["xuat-le"]
    response, _n = _get(secretariat_client, commune, award="ldtt", level="commune")
    html = response.content.decode()
    start = html.index('<form method="get" class="filters"')
    form = html[start : html.index("</form>", start)]
    assert '<label for="id_organisation">' in form
    assert 'id="id_organisation-hint"' in form
    assert 'aria-describedby="id_organisation-hint" id="id_organisation"' in form
    assert f'<option value="{commune.pk}" selected>{commune.name}</option>' in form
    assert f'<option value="{seeded_year.pk}">{seeded_year.name}</option>' in form
    assert '<option value="ldtt" selected>' in form
    assert '<option value="commune" selected>' in form
    assert '<option value="" selected>— Tất cả —</option>' in form  # no campaign chosen
    assert f'name="year" value="{YEAR}"' in form


def test_a_refused_filter_points_at_its_error(secretariat_client, seeded_year):
    response = secretariat_client.get(URL, {"organisation": "999999", "year": "20x6"})
    html = response.content.decode()
    assert 'href="#id_year"' in html  # the error summary links to the field
    assert 'id="id_year-error"' in html
    assert 'aria-describedby="id_year-hint id_year-error" aria-invalid="true"' in html
    assert 'id="id_organisation-error"' in html
    assert "Tổng số khen thưởng" not in html
