"""The rule-set data as the law stands (issue 13): who decides after 01/07/2025, time limits,
vote rules, quotas and collective ratios, each with its legal basis beside it."""

from datetime import date

import pytest
from django.utils import timezone

from core.errors import DomainError
from decisions import services as decisions
from dossiers.catalogue import set_provincial_quota
from dossiers.models import AwardType, Dossier, RequiredDocument, RouteStage
from organisations.models import Organisation
from registry import checks
from registry import services as registry
from tests import factories as f
from workflow.models import StageDeadline
from workflow.rulesets import plan_route
from workflow.states import DossierStatus as S

pytestmark = pytest.mark.django_db

COMMUNE_FORMS = ["ldtt", "cstdcs", "ttldtt", "giay-khen-xa", "gia-dinh-van-hoa", "thon-van-hoa"]
PROVINCIAL_FORMS = ["ttldxs", "bang-khen-tinh", "co-thi-dua-tinh", "cstd-tinh"]


def decide_through_the_decision_service(dossier, *, drafter: str, signer: str) -> Dossier:
    issuer = dossier.current_stage.organisation
    ids = list(dossier.active_nominees().values_list("pk", flat=True))
    draft = decisions.create_draft(
        issuer.pk, by=f.user(drafter), nominee_ids=ids, signer_name="Lương Văn Hùng"
    )
    # The signing step: the secretariat submits, the signer signs today (a date before the
    # council's result is refused, decisions.services.check_signing_date).
    decisions.submit_for_signature(draft.pk, by=f.user(drafter))
    decisions.issue_decision(draft.pk, by=f.user(signer), issued_on=timezone.localdate())
    return Dossier.objects.get(pk=dossier.pk)


def test_a_schools_ldtt_is_decided_by_the_commune_chair(demo):
    """Decree 129/2025 art. 59: the commune chair decides LĐTT; the school cannot."""
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], "ldtt", nominees=2))
    assert dossier.status == S.INTERMEDIATE_APPRAISAL
    assert dossier.current_stage.organisation.code == "hop-thanh"
    dossier = f.pass_council(f.advance_to_council(dossier))
    assert dossier.status == S.AWAITING_DECISION
    assert dossier.current_stage.organisation.code == "hop-thanh"
    ids = list(dossier.active_nominees().values_list("pk", flat=True))
    with pytest.raises(DomainError) as refused:  # nobody at the school drafts it
        decisions.create_draft(
            dossier.current_stage.organisation_id,
            by=f.user("th-hop-thanh.thutruong"),
            nominee_ids=ids,
        )
    assert refused.value.code == "no_permission"

    dossier = decide_through_the_decision_service(
        dossier, drafter="hop-thanh.vanphong", signer="hop-thanh.lanhdao"
    )
    assert dossier.status == S.DECIDED


def test_a_departments_ldtt_for_its_own_staff_is_decided_by_its_head(demo):
    dossier = f.submit_and_approve(f.make_draft(demo["so-y-te"], "ldtt"))
    assert [s.organisation.code for s in dossier.stages.order_by("position")] == [
        "so-y-te",
        "so-y-te",
    ]
    dossier = f.pass_council(f.advance_to_council(dossier))
    assert dossier.status == S.AWAITING_DECISION
    dossier = decide_through_the_decision_service(
        dossier, drafter="so-y-te.vanphong", signer="so-y-te.lanhdao"
    )
    assert dossier.status == S.DECIDED


@pytest.mark.parametrize("code", COMMUNE_FORMS)
def test_rs2025_commune_level_forms_end_at_the_commune(demo, code):
    stages = plan_route(f.award(code), demo["th-hop-thanh"], on=date(2026, 3, 1))
    assert [s.organisation.code for s in stages] == ["th-hop-thanh", "hop-thanh"]


@pytest.mark.parametrize("code", PROVINCIAL_FORMS)
def test_rs2025_provincial_forms_end_with_the_provincial_chair(demo, code):
    stages = plan_route(f.award(code), demo["th-hop-thanh"], on=date(2026, 3, 1))
    assert [s.organisation.code for s in stages] == ["th-hop-thanh", "hop-thanh", "lang-son"]


def test_no_rs2025_route_reaches_a_district(demo):
    levels = RouteStage.objects.filter(award_type__rule_set__code="rs-2025").values_list(
        "levels", flat=True
    )
    assert not any("district" in row for row in levels)


def test_rs2024_ldtt_of_a_school_is_decided_by_the_district(demo):
    stages = plan_route(f.award("ldtt", "rs-2024"), demo["th-hop-thanh"], on=date(2025, 3, 1))
    assert [s.organisation.code for s in stages] == ["th-hop-thanh", "cao-loc"]


def test_time_limits_and_vote_rules_are_data_with_their_basis(demo):
    cstdcs = f.award("cstdcs").stages.get(position=1)
    assert cstdcs.limit_days == 20  # not 10 (domain.md corrections)
    assert "QĐ 638/QĐ-BNV 2025" in cstdcs.basis
    rules = cstdcs.rules()
    assert (rules.threshold.num, rules.threshold.den, rules.threshold.strict) == (4, 5, False)
    assert (rules.threshold_base, rules.count_written_votes, rules.secret_ballot) == (
        "all_members",
        True,
        True,
    )
    assert "Điều 30 khoản 7 Nghị định 98/2023/NĐ-CP" in rules.basis
    for rs in ("rs-2024", "rs-2025"):
        province = f.award("cstd-tinh", rs).stages.get(tier="provincial").rules()
        assert (province.threshold.num, province.threshold.den) == (9, 10)
        assert (province.threshold_base, province.count_written_votes) == ("all_members", True)
        assert (province.limit_days, province.limit_days_with_consultation) == (20, 30)
        assert province.limit_days_simplified == 10
        flag = f.award("co-thi-dua-tinh", rs).stages.get(tier="provincial").rules()
        assert (flag.threshold.num, flag.threshold.den, flag.threshold_base) == (
            4,
            5,
            "all_members",
        )
    assert "chờ xác nhận" in f.award("cstd-tinh").stages.get(tier="provincial").note


def test_a_cstdcs_dossier_gets_20_working_days_at_the_commune_and_shows_the_basis(demo):
    ldtt_on_record(demo["th-hop-thanh"], 2025)
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], "cstdcs"))
    f.advance_to_council(dossier, received_on=date(2026, 3, 2))
    stage = Dossier.objects.get(pk=dossier.pk).current_stage
    deadline = StageDeadline.objects.get(stage=stage)
    assert deadline.limit_days == 20
    assert "QĐ 638/QĐ-BNV 2025" in stage.stage_rules.basis


def ldtt_on_record(unit, year: int, count: int = 1) -> None:
    """LĐTT of `year` for the first `count` nominees make_draft gives (CSTĐCS needs it)."""
    for i in range(count):
        registry.import_award(
            by=f.user("hop-thanh.vanphong"),
            issuer=Organisation.objects.get(code="hop-thanh"),
            unit=unit,
            full_name=f"Nguyễn Thị Hồng Nhung {i + 1}",
            identity_code=f"0010850{i:05d}-{unit.code}",
            award_code="ldtt",
            award_name="Lao động tiên tiến",
            year=year,
            decision_label=f"{10 + i}/QĐ-UBND",
            decision_date=date(year, 12, 20),
        )


def test_cstdcs_quota_is_off_by_default_and_a_province_can_turn_it_on(demo):
    """Decree 91/2017's 15 % lapsed: no national cap; a province may set one."""
    unit = demo["th-hop-thanh"]
    ldtt_on_record(unit, 2025, 33)
    dossier = f.make_draft(unit, "cstdcs", nominees=5, year=2025)
    assert checks.blocking_problems(dossier, competing=dossier.competing_nominees()) == []
    assert "quota" not in f.award("cstdcs").eligibility
    assert "quota" not in f.award("cstdcs", "rs-2024").eligibility

    set_provincial_quota("rs-2025", basis="QĐ của UBND tỉnh (ví dụ)")
    dossier = Dossier.objects.get(pk=dossier.pk)
    (problem,) = checks.blocking_problems(dossier, competing=dossier.competing_nominees())
    assert problem.rule == "quota"
    assert "5 > 4" in problem.message


def test_collective_ratios_are_provincial_parameters_with_their_basis(demo):
    share = f.award("ttldtt").eligibility["member_share"]
    assert (share["of"], share["num"], share["den"], share["provincial"]) == (
        "ldtt",
        50,
        100,
        True,
    )
    assert "Nghị định 152/2025/NĐ-CP" in share["basis"]
    assert f.award("ttldxs").eligibility["member_share"]["num"] == 70


def test_every_rule_carries_its_basis(demo):
    assert not AwardType.objects.filter(basis="").exists()
    assert not RequiredDocument.objects.filter(basis="").exists()
    deciding = [form.stages.order_by("-position").first() for form in AwardType.objects.all()]
    assert all(stage.basis or stage.tier == "provincial" for stage in deciding)


def test_an_award_closed_to_a_unit_is_refused_naming_the_basis(demo):
    with pytest.raises(DomainError) as refused:
        plan_route(f.award("giay-khen-xa"), demo["bvdk-tinh"], on=date(2026, 3, 1))
    assert refused.value.code == "route_unavailable"
    assert "Điều 59 Nghị định 129/2025/NĐ-CP" in str(refused.value)
