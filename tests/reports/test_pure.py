"""The pure rules of the statistics: percentiles, report layouts, charts. No database."""

import pytest

from reports.charts import Bar, bar_chart
from reports.layouts import fill, headers, layout_problems
from reports.percentiles import median, nearest_rank, p90, percent


def test_nearest_rank_reads_a_time_some_stage_really_took():
    # 1..10 working days, once each: median is the 5th value, p90 the 9th.
    histogram = {d: 1 for d in range(1, 11)}
    assert median(histogram) == 5
    assert p90(histogram) == 9  # 0.9 × 10 = 9 exactly, not 9.000000000000002 → 10


def test_percentiles_weigh_each_time_by_how_often_it_happened():
    histogram = {3: 7, 20: 3}  # seven quick stages, three slow ones
    assert median(histogram) == 3
    assert p90(histogram) == 20
    assert nearest_rank({}, 0.5) is None


def test_a_share_reads_as_the_reports_print_it():
    assert percent(5, 7) == "71,43 %"  # "chiếm 71,43 %"
    assert percent(0, 0) == "–"


LAYOUT = {
    "columns": [{"key": "total", "label": "Tổng số"}, {"key": "women", "label": "Nữ"}],
    "rows": [
        {
            "number": "1",
            "label": "Giấy khen",
            "keys": ["form.giay-khen-xa", "form.giay-khen-huyen"],
        },
        {"number": "", "label": "Tổng cộng", "keys": ["all"], "bold": True},
    ],
}


def test_a_layout_sums_its_row_keys_and_misses_nothing_silently():
    figures = {
        "form.giay-khen-xa.total": 4,
        "form.giay-khen-huyen.total": 2,
        "form.giay-khen-xa.women": 1,
        "all.total": 9,
    }
    rows = fill(LAYOUT, figures)
    assert [r.cells for r in rows] == [(6, 1), (9, 0)]
    assert rows[1].bold
    assert headers(LAYOUT) == ["Tổng số", "Nữ"]


@pytest.mark.parametrize(
    "layout",
    [None, [], {"columns": [], "rows": []}, {"columns": [{"key": "x"}], "rows": [{"label": "a"}]}],
)
def test_a_broken_layout_is_refused_in_words(layout):
    assert layout_problems(layout)


def test_the_chart_is_an_image_with_a_name_and_its_numbers_in_words():
    svg = str(bar_chart(chart_id="c", title="Số khen thưởng", bars=[Bar("A & B", 3), Bar("C", 0)]))
    assert 'role="img"' in svg
    assert '<title id="c-title">Số khen thưởng</title>' in svg
    assert "A &amp; B: 3; C: 0" in svg  # escaped, and every number said
    assert "style=" not in svg  # the CSP refuses inline styles
    assert str(bar_chart(chart_id="c", title="t", bars=[])) == ""
