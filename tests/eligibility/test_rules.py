"""The pure eligibility rules (domain §7): each rule, both verdicts, with its figures."""

from registry.eligibility import (
    CONSECUTIVE,
    DUPLICATE,
    QUOTA,
    SAME_YEAR,
    Award,
    Candidate,
    UnitFigures,
    evaluate,
    quota_cap,
)
from registry.identity import achievement_key, subject_key

KEY = subject_key(identity_code="001085000001", full_name="Hoàng Thị Thu Trang")


def candidate(code: str = "cstd-tinh", year: int = 2026) -> Candidate:
    return Candidate(
        7, "Hoàng Thị Thu Trang", KEY, code, year, achievement_key(kind="annual", year=year)
    )


def held(code: str, year: int, key: str = KEY) -> Award:
    return Award(key, code, year, f"year:{year}", f"QĐ {year}")


def only(verdicts, rule):
    (verdict,) = [v for v in verdicts if v.rule == rule]
    return verdict


RULES_CSTD = {"consecutive": {"of": "cstdcs", "years": 3}}
RULES_CSTDCS = {"requires_same_year": ["ldtt"], "quota": {"of": "ldtt", "num": 15, "den": 100}}


def test_three_consecutive_years_pass():
    awarded = [held("cstdcs", 2023), held("cstdcs", 2024), held("cstdcs", 2025)]
    verdict = only(evaluate(RULES_CSTD, [candidate()], awarded=awarded, claimed=[]), CONSECUTIVE)
    assert verdict.passed
    assert verdict.evidence["years_found"] == [2023, 2024, 2025]


def test_a_gap_is_not_three_consecutive_years():
    awarded = [held("cstdcs", 2022), held("cstdcs", 2023), held("cstdcs", 2025)]
    verdict = only(evaluate(RULES_CSTD, [candidate()], awarded=awarded, claimed=[]), CONSECUTIVE)
    assert not verdict.passed
    assert "chưa đủ 3 lần liên tục" in verdict.message
    assert verdict.evidence["missing"] == [2024]
    assert verdict.nominee_id == 7


def test_someone_elses_awards_do_not_count():
    other = subject_key(full_name="Hoàng Thị Thu Trang", birth_year=1990, organisation_name="B")
    awarded = [held("cstdcs", y, other) for y in (2023, 2024, 2025)]
    verdict = only(evaluate(RULES_CSTD, [candidate()], awarded=awarded, claimed=[]), CONSECUTIVE)
    assert not verdict.passed


def test_prerequisite_same_year_both_verdicts():
    ok = evaluate(RULES_CSTDCS, [candidate("cstdcs")], awarded=[held("ldtt", 2026)], claimed=[])
    assert only(ok, SAME_YEAR).passed
    previous_year_only = [held("ldtt", 2025)]
    refused = evaluate(RULES_CSTDCS, [candidate("cstdcs")], awarded=previous_year_only, claimed=[])
    assert not only(refused, SAME_YEAR).passed
    assert only(refused, SAME_YEAR).evidence["missing"] == ["ldtt"]


def test_quota_of_worked_example_9_3():
    """33 LĐTT: ⌊33 × 15 / 100⌋ = 4. Proposing 5 is refused naming 5 > 4; 4 is accepted."""
    assert quota_cap(33, 15, 100) == 4
    unit = UnitFigures(base=33, awarded=0, elsewhere=0)
    five = [candidate("cstdcs")] * 5
    verdict = only(evaluate(RULES_CSTDCS, five, awarded=[], claimed=[], unit=unit), QUOTA)
    assert not verdict.passed
    assert "5 > 4" in verdict.message
    assert verdict.evidence["cap"] == 4
    four = [candidate("cstdcs")] * 4
    assert only(evaluate(RULES_CSTDCS, four, awarded=[], claimed=[], unit=unit), QUOTA).passed


def test_quota_counts_the_units_other_open_dossiers_and_awards_on_record():
    unit = UnitFigures(base=33, awarded=2, elsewhere=2)
    verdict = only(
        evaluate(RULES_CSTDCS, [candidate("cstdcs")], awarded=[], claimed=[], unit=unit), QUOTA
    )
    assert not verdict.passed
    assert verdict.evidence["total"] == 5


def test_duplicate_award_or_open_claim_is_refused_and_other_years_are_not():
    award = candidate("bang-khen-tinh")
    assert only(
        evaluate({}, [award], awarded=[held("bang-khen-tinh", 2025)], claimed=[]), DUPLICATE
    ).passed
    on_record = evaluate({}, [award], awarded=[held("bang-khen-tinh", 2026)], claimed=[])
    assert not only(on_record, DUPLICATE).passed
    claim = Award(KEY, "bang-khen-tinh", 2026, "year:2026", "hồ sơ HS-2026-000009")
    elsewhere = only(evaluate({}, [award], awarded=[], claimed=[claim]), DUPLICATE)
    assert not elsewhere.passed
    assert elsewhere.evidence["found"] == ["hồ sơ HS-2026-000009"]


def test_identity_prefers_the_identity_code_and_normalises_names():
    assert subject_key(identity_code=" 001085000001 ", full_name="X") == KEY
    nfd = "Hoa\u0300ng Thi\u0323 Thu Trang"
    assert subject_key(full_name=nfd, birth_year=1984, organisation_name="Trường A") == subject_key(
        full_name="hoàng thị  thu trang", birth_year=1984, organisation_name="trường a"
    )
