"""The 2025 rules, pure: đột xuất/chuyên đề out of chains (Decree 152/2025 art. 4 §3), one
achievement one award across forms (Law 06/2022), achievements after a discipline, and one
initiative one award (CV 5007/BNV-TĐKT)."""

from datetime import date

from registry.eligibility import (
    AFTER_DISCIPLINE,
    CONSECUTIVE,
    DUPLICATE,
    INITIATIVE,
    SAME_YEAR,
    Award,
    Backing,
    Candidate,
    category_of,
    evaluate,
)
from registry.identity import achievement_key, subject_key

KEY = subject_key(identity_code="001085000001", full_name="Hoàng Thị Thu Trang")
CATEGORIES = {c: category_of(c) for c in ("ldtt", "cstdcs", "bang-khen-tinh", "giay-khen-xa")}


def candidate(code="cstd-tinh", year=2026, **fields) -> Candidate:
    return Candidate(
        7,
        "Hoàng Thị Thu Trang",
        KEY,
        code,
        year,
        fields.pop("achievement", f"year:{year}"),
        **fields,
    )


def held(code, year, *, regular=True, achievement=None) -> Award:
    return Award(KEY, code, year, achievement or f"year:{year}", f"QĐ {code} {year}", regular)


def only(verdicts, rule):
    (verdict,) = [v for v in verdicts if v.rule == rule]
    return verdict


def test_an_ad_hoc_award_does_not_count_toward_a_chain():
    chain = {"consecutive": {"of": "cstdcs", "years": 3}}
    awarded = [held("cstdcs", 2023), held("cstdcs", 2024), held("cstdcs", 2025, regular=False)]
    verdict = only(evaluate(chain, [candidate()], awarded=awarded, claimed=[]), CONSECUTIVE)
    assert not verdict.passed
    assert verdict.evidence["missing"] == [2025]
    assert "Khoản 3 Điều 4 Nghị định 152/2025/NĐ-CP" in verdict.message
    regular = [*awarded[:2], held("cstdcs", 2025)]
    assert only(evaluate(chain, [candidate()], awarded=regular, claimed=[]), CONSECUTIVE).passed


def test_an_ad_hoc_award_does_not_meet_a_same_year_prerequisite():
    rules = {"requires_same_year": ["ldtt"]}
    ad_hoc = [held("ldtt", 2025, regular=False)]
    verdict = only(
        evaluate(rules, [candidate("cstdcs", 2025)], awarded=ad_hoc, claimed=[]), SAME_YEAR
    )
    assert not verdict.passed


def test_one_achievement_one_form_across_forms_but_titles_stack_and_years_differ():
    bang_khen = [held("bang-khen-tinh", 2026)]
    giay_khen = candidate("giay-khen-xa", 2026)
    verdict = only(
        evaluate({}, [giay_khen], awarded=bang_khen, claimed=[], categories=CATEGORIES),
        DUPLICATE,
    )
    assert not verdict.passed
    assert "QĐ bang-khen-tinh 2026" in verdict.message
    assert "một hình thức" in verdict.message
    # the same form for another achievement (another year) passes
    next_year = candidate("giay-khen-xa", 2027)
    assert only(
        evaluate({}, [next_year], awarded=bang_khen, claimed=[], categories=CATEGORIES), DUPLICATE
    ).passed
    # titles stack: CSTĐCS 2026 on LĐTT 2026, and a title beside a form
    titles = [held("ldtt", 2026), held("bang-khen-tinh", 2026)]
    assert only(
        evaluate({}, [candidate("cstdcs", 2026)], awarded=titles, claimed=[]), DUPLICATE
    ).passed


def test_the_same_act_has_one_key_however_it_is_typed():
    day = date(2026, 3, 14)
    one = achievement_key(
        kind="ad_hoc",
        year=2026,
        reference="HS-1",
        act_date=day,
        act_description="Dũng cảm cứu 2 em học sinh bị đuối nước tại suối Khuổi Khoang.",
    )
    two = achievement_key(
        kind="ad_hoc",
        year=2026,
        reference="HS-2",
        act_date=day,
        act_description="  dũng cảm cứu 2 em học sinh bị đuối nước tại suối khuổi khoang ",
    )
    other_day = achievement_key(
        kind="ad_hoc",
        year=2026,
        reference="HS-2",
        act_date=date(2026, 3, 15),
        act_description="Dũng cảm cứu 2 em học sinh bị đuối nước tại suối Khuổi Khoang.",
    )
    assert one == two
    assert one != other_day
    assert one.startswith("act:2026-03-14:")
    # without the act's day, an ad hoc dossier keeps a key of its own
    assert achievement_key(kind="ad_hoc", year=2026, reference="HS-9") == "act:HS-9"


def test_after_a_discipline_only_later_achievements_count():
    chain = {"consecutive": {"of": "cstdcs", "years": 3}}
    awarded = [held("cstdcs", y) for y in (2023, 2024, 2025)]
    ended = date(2025, 3, 1)
    verdicts = evaluate(chain, [candidate(counts_from=ended)], awarded=awarded, claimed=[])
    chain_verdict = only(verdicts, CONSECUTIVE)
    assert not chain_verdict.passed
    assert chain_verdict.evidence["missing"] == [2023, 2024, 2025]
    assert "Khoản 4 Điều 4 Nghị định 152/2025/NĐ-CP" in chain_verdict.message
    assert only(verdicts, AFTER_DISCIPLINE).passed  # 2026 lies after the end
    # the proposed year itself began before the end: refused
    early = candidate("bang-khen-tinh", 2025, counts_from=ended)
    verdict = only(evaluate({}, [early], awarded=[], claimed=[]), AFTER_DISCIPLINE)
    assert not verdict.passed
    assert "01/03/2025" in verdict.message
    # no discipline on record: no such verdict, the chain counts
    assert not [
        v
        for v in evaluate(chain, [candidate()], awarded=awarded, claimed=[])
        if v.rule == AFTER_DISCIPLINE
    ]


def test_an_initiative_backing_another_award_fails_and_an_unused_one_passes():
    mine = candidate("bang-khen-tinh", 2026, initiative_ids=(5,))
    used = [Backing(5, "Sổ tay số hóa bài giảng", "QĐ 12/QĐ-UBND", "CSTĐCS năm 2025")]
    verdict = only(evaluate({}, [mine], awarded=[], claimed=[], backings=used), INITIATIVE)
    assert not verdict.passed
    assert "Sổ tay số hóa bài giảng" in verdict.message
    assert "CSTĐCS năm 2025" in verdict.message
    assert "5007/BNV-TĐKT" in verdict.message
    other = [Backing(6, "Khác", "QĐ 13", "x")]
    assert only(evaluate({}, [mine], awarded=[], claimed=[], backings=other), INITIATIVE).passed
