"""Walking dossiers through every route of the catalogue, through the real services."""

from datetime import date

import pytest

from audit.models import AuditEvent
from core.errors import DomainError
from dossiers.models import AwardType, Dossier, NomineeOutcome
from tests import factories as f
from workflow import services as transitions
from workflow.rulesets import plan_route
from workflow.states import DossierStatus as S


def route_of(dossier):
    return [(s.tier, s.organisation.code) for s in dossier.stages.order_by("position")]


def test_old_rules_unit_district_council_province_council_decision(demo, monkeypatch):
    """RS-2024 (§9.7): completed 20/06/2025 from a district-level unit → U → D → P."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2025, 6, 18))
    dossier = f.make_draft(demo["th-hop-thanh"], "bang-khen-tinh", nominees=2, rule_set="rs-2024")
    dossier = f.submit_and_approve(dossier)
    assert dossier.status == S.INTERMEDIATE_APPRAISAL
    assert dossier.current_stage.organisation.code == "cao-loc"
    dossier = f.advance_to_council(dossier, received_on=date(2025, 6, 20))
    assert dossier.rule_set.code == "rs-2024"
    assert dossier.status == S.INTERMEDIATE_COUNCIL
    assert route_of(dossier) == [
        ("unit", "th-hop-thanh"),
        ("intermediate", "cao-loc"),
        ("provincial", "lang-son"),
    ]
    dossier = f.pass_council(dossier)
    assert dossier.status == S.PROVINCIAL_APPRAISAL
    dossier = f.pass_council(f.advance_to_council(dossier))
    assert dossier.status == S.AWAITING_DECISION
    transitions.mark_decided(
        dossier.pk, by=f.user("lang-son.lanhdao"), decision_label="Số: 05/QĐ-UBND"
    )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == S.DECIDED
    assert "Nghị định số 98/2023" in " ".join(dossier.rules_snapshot["legal_bases"])
    actions = list(AuditEvent.objects.for_object(dossier).values_list("action", flat=True))
    assert actions[-1] == "decide"
    assert actions.count("conclude_council") == 2


def test_new_rules_unit_commune_province(demo, monkeypatch):
    """RS-2025 (§9.7): completed 15/07/2025 from a former district → U → X → P, Decree 152."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2025, 7, 14))
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], "bang-khen-tinh"))
    assert dossier.current_stage.organisation.code == "hop-thanh"
    dossier = f.advance_to_council(dossier, received_on=date(2025, 7, 15))
    assert dossier.rule_set.code == "rs-2025"
    assert route_of(dossier) == [
        ("unit", "th-hop-thanh"),
        ("intermediate", "hop-thanh"),
        ("provincial", "lang-son"),
    ]
    dossier = f.pass_council(f.advance_to_council(f.pass_council(dossier)))
    assert dossier.status == S.AWAITING_DECISION
    assert "Nghị định số 152/2025" in " ".join(dossier.rules_snapshot["legal_bases"])


def test_submitted_under_old_rules_but_complete_under_new_is_replanned(demo, monkeypatch):
    """The rule set is the one in force when the dossier became complete (domain §1)."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2025, 6, 25))
    dossier = f.submit_and_approve(
        f.make_draft(demo["so-gddt"], "bang-khen-tinh", rule_set="rs-2024")
    )
    assert dossier.current_stage.organisation.code == "lang-son"
    dossier = f.advance_to_council(dossier, received_on=date(2025, 7, 2))
    assert dossier.rule_set.code == "rs-2025"
    assert dossier.award_type.rule_set.code == "rs-2025"


def test_provincial_department_skips_the_intermediate_level(demo):
    dossier = f.submit_and_approve(f.make_draft(demo["so-y-te"], "bang-khen-tinh"))
    assert dossier.status == S.PROVINCIAL_APPRAISAL
    assert route_of(dossier) == [("unit", "so-y-te"), ("provincial", "lang-son")]


def test_unit_under_a_department_goes_through_the_department(demo):
    dossier = f.submit_and_approve(f.make_draft(demo["bvdk-tinh"], "bang-khen-tinh"))
    assert dossier.current_stage.organisation.code == "so-y-te"


def test_commune_award_ends_with_the_commune_decision(demo):
    dossier = f.submit_and_approve(f.make_draft(demo["mn-xuat-le"], "giay-khen-xa"))
    dossier = f.pass_council(f.advance_to_council(dossier))
    assert dossier.status == S.AWAITING_DECISION
    assert dossier.current_stage.organisation.code == "xuat-le"
    transitions.mark_decided(
        dossier.pk, by=f.user("xuat-le.lanhdao"), decision_label="Số: 07/QĐ-UBND"
    )
    assert Dossier.objects.get(pk=dossier.pk).status == S.DECIDED


def test_a_schools_ldtt_goes_to_the_commune_which_decides(demo):
    """RS-2025 (Decree 129/2025 art. 59): U → X; the school has nobody who may decide."""
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], "ldtt"))
    assert dossier.status == S.INTERMEDIATE_APPRAISAL
    assert route_of(dossier) == [("unit", "th-hop-thanh"), ("intermediate", "hop-thanh")]
    dossier = f.pass_council(f.advance_to_council(dossier))
    assert dossier.status == S.AWAITING_DECISION
    assert dossier.current_stage.organisation.code == "hop-thanh"


def test_under_old_rules_a_schools_ldtt_is_decided_by_the_district(demo, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2025, 3, 3))
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], "ldtt", rule_set="rs-2024"))
    dossier = f.pass_council(f.advance_to_council(dossier, received_on=date(2025, 3, 4)))
    assert dossier.rule_set.code == "rs-2024"
    assert dossier.status == S.AWAITING_DECISION
    assert dossier.current_stage.organisation.code == "cao-loc"
    transitions.mark_decided(
        dossier.pk, by=f.user("cao-loc.lanhdao"), decision_label="Số: 03/QĐ-UBND"
    )
    assert Dossier.objects.get(pk=dossier.pk).status == S.DECIDED


def test_every_award_form_has_a_route_for_a_school(demo):
    for form in AwardType.objects.filter(rule_set__code="rs-2025"):
        stages = plan_route(form, demo["th-hop-thanh"], on=date(2026, 3, 1))
        assert stages[0].tier == "unit"


def test_district_award_is_refused_to_a_department_unit(demo):
    form = f.award("giay-khen-huyen", "rs-2024")
    with pytest.raises(DomainError) as err:
        plan_route(form, demo["bvdk-tinh"], on=date(2025, 3, 1))
    assert err.value.code == "route_unavailable"
    assert err.value.field == "award_type"


def test_returned_for_supplement_then_resubmitted_resumes_where_it_was(demo):
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], "bang-khen-tinh"))
    secretariat = f.user("hop-thanh.vanphong")
    transitions.return_for_supplement(
        dossier.pk, by=secretariat, reason="Thiếu biên bản họp", missing=["minutes"]
    )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == S.RETURNED
    assert dossier.returned_reason == "Thiếu biên bản họp"
    proposer = f.user("th-hop-thanh.thiduakhenthuong")
    f.upload(dossier, proposer, "minutes", name="bien-ban-bo-sung.pdf")
    transitions.resubmit_dossier(dossier.pk, by=proposer)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == S.INTERMEDIATE_APPRAISAL
    assert dossier.current_stage.organisation.code == "hop-thanh"
    assert dossier.round == 2
    rounds = sorted(set(dossier.documents.values_list("round", flat=True)))
    assert rounds == [1, 2]  # both rounds kept
    actions = list(AuditEvent.objects.for_object(dossier).values_list("action", flat=True))
    assert "return_for_supplement" in actions
    assert "resubmit" in actions


def test_withdrawal(demo):
    dossier = f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], "bang-khen-tinh"))
    transitions.withdraw_dossier(
        dossier.pk,
        by=f.user("th-hop-thanh.thutruong"),
        reason="Đơn vị xin rút để bổ sung thành tích năm sau",
    )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == S.WITHDRAWN


def test_one_nominee_of_three_dropped_at_the_district(demo):
    dossier = f.advance_to_council(
        f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], "bang-khen-tinh", nominees=3))
    )
    dropped = dossier.active_nominees().order_by("pk")[1]
    dossier = f.pass_council(dossier, failed={dropped.pk})
    assert dossier.status == S.PROVINCIAL_APPRAISAL
    assert dossier.active_nominees().count() == 2
    assert dropped.pk not in dossier.active_nominees().values_list("pk", flat=True)
    outcome = NomineeOutcome.objects.get(nominee=dropped)
    assert outcome.outcome == "failed"
    assert outcome.stage.organisation.code == "hop-thanh"
    dossier = f.pass_council(f.advance_to_council(dossier))
    assert dossier.status == S.AWAITING_DECISION
    assert dossier.active_nominees().count() == 2


def test_no_nominee_passing_ends_the_dossier_as_not_approved(demo):
    dossier = f.advance_to_council(
        f.submit_and_approve(f.make_draft(demo["th-hop-thanh"], "bang-khen-tinh", nominees=2))
    )
    dossier = f.pass_council(
        dossier, failed=set(dossier.active_nominees().values_list("pk", flat=True))
    )
    assert dossier.status == S.NOT_APPROVED
