"""Eligibility read from the registry and the open dossiers: blocks submission, override path."""

from datetime import date

import pytest

from audit.models import AuditEvent
from core.errors import DomainError, TransitionRefused
from dossiers.catalogue import set_provincial_quota
from dossiers.models import Dossier
from dossiers.queries import planned_route_organisations
from organisations.models import Organisation
from registry import checks, services
from registry.eligibility import QUOTA
from registry.models import EligibilityOverride, RegistryEntry
from tests.factories import actors_of, make_draft, stage_secretariat, user
from workflow import services as transitions
from workflow.states import DossierStatus

pytestmark = pytest.mark.django_db

YEAR = 2025


def verdicts(dossier):
    return checks.verdicts(dossier, competing=dossier.competing_nominees())


def blocking_problems(dossier):
    return checks.blocking_problems(dossier, competing=dossier.competing_nominees())


def override(dossier, **fields):
    """What the eligibility page passes: the competitors and the route, from dossiers."""
    return services.override_eligibility(
        dossier,
        competing=dossier.competing_nominees(),
        route=planned_route_organisations(dossier),
        **fields,
    )


def identity(i: int, unit) -> str:
    return f"0010850{i:05d}-{unit.code}"  # what tests.factories.make_draft gives nominee i


def record(unit, code: str, name: str, year: int, *, i: int = 0, registrar="hop-thanh"):
    return services.import_award(
        by=user(f"{registrar}.vanphong"),
        issuer=Organisation.objects.get_parent(unit) if registrar == "hop-thanh" else unit,
        unit=unit,
        full_name=f"Nguyễn Thị Hồng Nhung {i + 1}",
        identity_code=identity(i, unit),
        award_code=code,
        award_name=name,
        year=year,
        decision_label=f"{10 + i}/QĐ-UBND",
        decision_date=date(year, 12, 20),
    )


def submit(dossier):
    transitions.submit_dossier(dossier.pk, by=actors_of(dossier.proposer.code).proposer)
    return Dossier.objects.get(pk=dossier.pk)


def test_cstd_tinh_needs_three_consecutive_cstdcs_and_the_refusal_names_the_gap(demo):
    unit = demo["th-hop-thanh"]
    for year in (2022, 2024):
        record(unit, "cstdcs", "Chiến sĩ thi đua cơ sở", year)
    dossier = make_draft(unit, "cstd-tinh", nominees=1, year=YEAR)

    with pytest.raises(TransitionRefused) as refused:
        submit(dossier)
    assert refused.value.code == "unmet_conditions"
    (problem,) = blocking_problems(dossier)
    assert "chưa đủ 3 lần liên tục" in problem.message
    assert problem.evidence["missing"] == [2023]
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DRAFT

    record(unit, "cstdcs", "Chiến sĩ thi đua cơ sở", 2023)
    assert submit(dossier).status == DossierStatus.UNIT_REVIEW


def test_a_revoked_award_no_longer_counts(demo):
    unit = demo["th-hop-thanh"]
    entries = [record(unit, "cstdcs", "Chiến sĩ thi đua cơ sở", y) for y in (2022, 2023, 2024)]
    dossier = make_draft(unit, "cstd-tinh", nominees=1, year=YEAR)
    assert blocking_problems(dossier) == []
    services.revoke_award(entries[1].pk, by=user("hop-thanh.vanphong"), reason="Hồ sơ giả mạo")
    assert [p.evidence["missing"] for p in blocking_problems(dossier)] == [[2023]]
    assert RegistryEntry.objects.count() == 3  # revocation deletes nothing


def _cstdcs_unit_with_33_ldtt(demo, proposals: int):
    unit = demo["th-hop-thanh"]
    set_provincial_quota("rs-2025")  # off by default since Decree 152/2025: the province's
    for i in range(33):
        record(unit, "ldtt", "Lao động tiên tiến", YEAR, i=i)
    return make_draft(unit, "cstdcs", nominees=proposals, year=YEAR)


def test_quota_33_ldtt_refuses_5_cstdcs_naming_5_over_4(demo):
    dossier = _cstdcs_unit_with_33_ldtt(demo, 5)
    with pytest.raises(TransitionRefused):
        submit(dossier)
    (problem,) = blocking_problems(dossier)
    assert problem.rule == QUOTA
    assert "5 > 4" in problem.message
    assert (problem.evidence["base"], problem.evidence["cap"]) == (33, 4)


def test_quota_33_ldtt_accepts_4_cstdcs(demo):
    dossier = _cstdcs_unit_with_33_ldtt(demo, 4)
    assert submit(dossier).status == DossierStatus.UNIT_REVIEW


def test_cstdcs_without_ldtt_that_year_is_refused(demo):
    unit = demo["th-hop-thanh"]
    record(unit, "ldtt", "Lao động tiên tiến", YEAR - 1)
    for i in range(1, 20):  # enough LĐTT in the unit for the quota, none for nominee 0
        record(unit, "ldtt", "Lao động tiên tiến", YEAR, i=i)
    dossier = make_draft(unit, "cstdcs", nominees=1, year=YEAR)
    (problem,) = blocking_problems(dossier)
    assert problem.rule == "requires_same_year"
    assert problem.evidence == {"requires": ["ldtt"], "year": YEAR, "missing": ["ldtt"]}


def test_the_same_person_cannot_be_proposed_twice_for_one_form_and_year(demo):
    unit = demo["th-hop-thanh"]
    first = submit(make_draft(unit, "bang-khen-tinh", nominees=1, year=YEAR))
    second = make_draft(unit, "bang-khen-tinh", nominees=1, year=YEAR)
    with pytest.raises(TransitionRefused):
        submit(second)
    (problem,) = blocking_problems(second)
    assert problem.rule == "duplicate"
    assert first.reference in problem.message
    # another year is another achievement
    assert blocking_problems(make_draft(unit, "bang-khen-tinh", nominees=1, year=YEAR + 1)) == []


def test_already_awarded_that_year_is_refused(demo):
    unit = demo["th-hop-thanh"]
    record(unit, "bang-khen-tinh", "Bằng khen", YEAR)
    (problem,) = blocking_problems(make_draft(unit, "bang-khen-tinh", nominees=1, year=YEAR))
    assert problem.rule == "duplicate"
    assert "10/QĐ-UBND" in problem.message


def test_reviewer_override_needs_a_reason_is_audited_and_lets_the_dossier_through(demo):
    dossier = _cstdcs_unit_with_33_ldtt(demo, 5)
    proposer = actors_of("th-hop-thanh").proposer
    reviewer = user("hop-thanh.vanphong")  # secretariat of the commune on the dossier's route

    with pytest.raises(DomainError) as refused:
        override(dossier, by=proposer, rule=QUOTA, reason="Cần thiết")
    assert refused.value.code == "no_permission"
    with pytest.raises(DomainError) as refused:
        override(dossier, by=reviewer, rule=QUOTA, reason="  ")
    assert refused.value.field == "reason"
    with pytest.raises(DomainError) as refused:
        override(dossier, by=reviewer, rule="duplicate", reason="x")
    assert refused.value.code == "nothing_to_override"
    assert not EligibilityOverride.objects.exists()

    override(dossier, by=reviewer, rule=QUOTA, reason="Đơn vị được giao chỉ tiêu bổ sung")

    quota = next(v for v in verdicts(dossier) if v.rule == QUOTA)
    assert not quota.passed  # the verdict stays visible as failed …
    assert quota.overridden  # … and marked as let through
    event = AuditEvent.objects.get(action="override_eligibility", object_id=str(dossier.pk))
    assert event.reason == "Đơn vị được giao chỉ tiêu bổ sung"
    assert event.actor == reviewer
    assert submit(dossier).status == DossierStatus.UNIT_REVIEW


def test_revoking_a_link_of_the_chain_flags_the_award_built_on_it(demo):
    unit = demo["th-hop-thanh"]
    chain = [record(unit, "cstdcs", "Chiến sĩ thi đua cơ sở", y) for y in (2022, 2023, 2024)]
    built = record(unit, "cstd-tinh", "Chiến sĩ thi đua cấp tỉnh", 2025)
    unrelated = record(unit, "bang-khen-tinh", "Bằng khen", 2025)

    services.revoke_award(chain[1].pk, by=user("hop-thanh.vanphong"), reason="Sáng kiến sao chép")

    built.refresh_from_db()
    unrelated.refresh_from_db()
    assert "2023" in built.flagged
    assert built.status == "valid"  # flagged for review, not revoked behind anyone's back
    assert unrelated.flagged == ""


def test_eligibility_is_checked_again_before_the_council(demo):
    """Facts change while a dossier travels: a revoked prerequisite stops it before the
    council until a reviewer overrides the verdict with a reason."""
    unit = demo["th-hop-thanh"]
    entries = [record(unit, "cstdcs", "Chiến sĩ thi đua cơ sở", y) for y in (2022, 2023, 2024)]
    dossier = submit(make_draft(unit, "cstd-tinh", nominees=1, year=YEAR))
    transitions.approve_dossier(dossier.pk, by=actors_of(unit.code).unit_head)
    dossier = Dossier.objects.get(pk=dossier.pk)
    clerk = stage_secretariat(dossier)
    transitions.accept_dossier(dossier.pk, by=clerk)
    services.revoke_award(entries[1].pk, by=user("hop-thanh.vanphong"), reason="Hồ sơ giả mạo")

    before = Dossier.objects.get(pk=dossier.pk).status
    with pytest.raises(TransitionRefused) as refused:
        transitions.send_to_council(dossier.pk, by=clerk)
    assert "chưa đủ điều kiện" in str(refused.value)
    assert Dossier.objects.get(pk=dossier.pk).status == before

    (problem,) = blocking_problems(Dossier.objects.get(pk=dossier.pk))
    override(
        dossier,
        by=clerk,
        rule=problem.rule,
        nominee_id=problem.nominee_id,
        reason="Đã xác minh lại năm 2023 theo hồ sơ gốc",
    )
    assert transitions.send_to_council(dossier.pk, by=clerk).status != before
