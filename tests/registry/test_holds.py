"""Holds (Decree 152/2025 art. 4 §4): a held nominee stops the steps that advance them.

A hold placed by a secretariat on a person blocks sending to council, recording a council
pass and issuing a decision; the refusal names who, why and the basis, and changes nothing;
once the hold is cleared the same step goes through.
"""

from datetime import date

import pytest
from django.utils import timezone, translation

from audit.models import AuditEvent
from core.errors import DomainError, TransitionRefused
from decisions import services as decisions
from decisions.models import DecisionStatus, RegisteredNumber
from dossiers.models import Dossier
from registry import checks, services
from registry.models import Hold, HoldKind
from tests.factories import (
    advance_to_council,
    make_draft,
    pass_council,
    stage_secretariat,
    submit_and_approve,
    user,
)
from workflow import services as transitions
from workflow.states import OPEN_STATES, DossierStatus

pytestmark = pytest.mark.django_db

BASIS = "Khoản 4 Điều 4 Nghị định 152/2025/NĐ-CP"


def hold_on(nominee, *, secretariat="hop-thanh", kind=HoldKind.INSPECTION, **fields) -> Hold:
    clerk = user(f"{secretariat}.vanphong")
    return services.place_hold_on_nominee(
        nominee,
        by=clerk,
        secretariat=clerk.memberships.get().organisation,
        kind=kind,
        body=fields.pop("body", "Thanh tra tỉnh Lạng Sơn"),
        started_on=fields.pop("started_on", date(2026, 3, 2)),
        document=fields.pop("document", "Quyết định thanh tra số 15/QĐ-TTr"),
        **fields,
    )


def clear(hold: Hold, **fields) -> Hold:
    return services.clear_hold(
        hold.pk,
        by=hold.secretariat and user(f"{hold.secretariat.code}.vanphong"),
        document=fields.pop("document", "Kết luận thanh tra số 20/KL-TTr"),
        cleared_on=fields.pop("cleared_on", date(2026, 4, 1)),
        **fields,
    )


def snapshot(dossier):
    return (
        Dossier.objects.values().get(pk=dossier.pk),
        AuditEvent.objects.count(),
    )


def test_a_held_nominee_cannot_be_sent_to_council_or_decided_and_can_after_the_hold_is_cleared(
    demo,
):
    dossier = submit_and_approve(make_draft(demo["th-hop-thanh"], "bang-khen-tinh"))
    (nominee,) = dossier.active_nominees()
    clerk = stage_secretariat(dossier)
    transitions.accept_dossier(dossier.pk, by=clerk)
    hold = hold_on(nominee)
    before = snapshot(dossier)

    with pytest.raises(TransitionRefused) as refused:
        transitions.send_to_council(dossier.pk, by=clerk)

    assert refused.value.code == "unmet_conditions"
    with translation.override("vi"):
        text = str(refused.value)
    assert nominee.full_name in text
    assert "đang bị thanh tra, kiểm tra" in text
    assert "Thanh tra tỉnh Lạng Sơn" in text
    assert "15/QĐ-TTr" in text
    assert BASIS in text
    assert snapshot(dossier) == before  # refused: nothing written
    assert "send_to_intermediate_council" not in transitions.available_actions(
        Dossier.objects.get(pk=dossier.pk), clerk
    )

    clear(hold)
    dossier = Dossier.objects.get(pk=dossier.pk)
    transitions.send_to_council(dossier.pk, by=clerk)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.INTERMEDIATE_COUNCIL

    # A hold placed while the council sits: its pass cannot be recorded.
    second = hold_on(nominee, kind=HoldKind.COMPLAINT, body="Ủy ban nhân dân xã Hợp Thành")
    with pytest.raises(DomainError) as refused:
        pass_council(dossier)
    assert refused.value.code == "held"
    assert "đang xác minh khiếu nại, tố cáo" in str(refused.value)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.INTERMEDIATE_COUNCIL
    clear(second)
    dossier = pass_council(dossier)
    assert dossier.status == DossierStatus.PROVINCIAL_APPRAISAL


def test_a_held_awardee_is_not_decided_and_is_after_the_hold_is_cleared(demo):
    dossier = make_draft(demo["th-hop-thanh"], "bang-khen-tinh")
    dossier = pass_council(
        advance_to_council(pass_council(advance_to_council(submit_and_approve(dossier))))
    )
    assert dossier.status == DossierStatus.AWAITING_DECISION
    (nominee,) = dossier.active_nominees()
    province_clerk = user("lang-son.vanphong")
    draft = decisions.create_draft(
        dossier.current_stage.organisation.pk,
        by=province_clerk,
        nominee_ids=[nominee.pk],
        signer_name="Hoàng Văn Nghiệm",
    )
    hold = hold_on(nominee, secretariat="lang-son", kind=HoldKind.DISCIPLINE, body="Sở Nội vụ")
    numbers = RegisteredNumber.objects.count()

    # The secretariat submits; the signing authority signs (decisions' signing step), today.
    decisions.submit_for_signature(draft.pk, by=province_clerk)
    signer, today = user("lang-son.lanhdao"), timezone.localdate()
    with pytest.raises(DomainError) as refused:
        decisions.issue_decision(draft.pk, by=signer, issued_on=today)

    assert refused.value.code == "held"
    assert nominee.full_name in str(refused.value)
    assert BASIS in str(refused.value)
    assert "đang xem xét thi hành kỷ luật" in str(refused.value)
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.SUBMITTED
    assert not draft.label.strip("Số: /")
    assert RegisteredNumber.objects.count() == numbers  # no number taken
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.AWAITING_DECISION

    clear(hold, cleared_on=date(2026, 4, 20))
    decisions.issue_decision(draft.pk, by=signer, issued_on=today)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DECIDED


def test_a_hold_reaches_the_same_person_in_another_units_dossier(demo):
    """Keyed by identity: recorded at one commune, it stops the person anywhere."""
    dossier = make_draft(demo["th-hop-thanh"], "bang-khen-tinh")
    (nominee,) = dossier.active_nominees()
    hold_on(nominee, secretariat="tan-doan")  # another commune's secretariat recorded it
    with pytest.raises(TransitionRefused) as refused:
        transitions.submit_dossier(dossier.pk, by=user("th-hop-thanh.thiduakhenthuong"))
    assert nominee.full_name in str(refused.value)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DRAFT


def test_only_a_secretariat_places_or_clears_a_hold_and_each_step_is_audited(demo):
    dossier = make_draft(demo["th-hop-thanh"], "bang-khen-tinh")
    (nominee,) = dossier.active_nominees()
    with pytest.raises(TransitionRefused) as refused:
        services.place_hold_on_nominee(
            nominee,
            by=user("th-hop-thanh.thiduakhenthuong"),
            secretariat=demo["th-hop-thanh"],
            kind=HoldKind.AUDIT,
            body="Kiểm toán Nhà nước",
            started_on=date(2026, 3, 2),
        )
    assert refused.value.code == "no_permission"
    with pytest.raises(DomainError) as refused:
        hold_on(nominee, body="  ")
    assert refused.value.field == "body"
    assert not Hold.objects.exists()

    hold = hold_on(nominee)
    assert AuditEvent.objects.filter(action="place_hold", object_id=str(hold.pk)).exists()
    with pytest.raises(TransitionRefused):  # another commune's secretariat did not record it
        services.clear_hold(
            hold.pk, by=user("tan-doan.vanphong"), document="x", cleared_on=date(2026, 4, 1)
        )
    with pytest.raises(DomainError) as refused:
        clear(hold, cleared_on=date(2026, 3, 1))
    assert refused.value.field == "cleared_on"
    with pytest.raises(DomainError) as refused:
        clear(hold, discipline_imposed=True)  # an inspection is no discipline
    assert refused.value.code == "not_discipline"
    assert Hold.objects.get(pk=hold.pk).is_active

    clear(hold)
    assert AuditEvent.objects.filter(action="clear_hold", object_id=str(hold.pk)).exists()
    with pytest.raises(DomainError) as refused:
        clear(hold)
    assert refused.value.code == "already_cleared"


def test_the_registry_spells_the_open_states_as_the_workflow_does():
    assert set(checks.OPEN_STATUSES) == {str(s) for s in OPEN_STATES}
    assert set(checks.ENDED_STATUSES) | set(checks.OPEN_STATUSES) | {"decided"} == set(
        DossierStatus.values
    )


def test_a_held_nominee_the_council_did_not_pass_does_not_block_the_others(demo):
    """The council's result goes through when the held nominee failed: only a passed held
    nominee is refused (record_council_result knows the outcomes; the hold is checked there)."""
    dossier = advance_to_council(submit_and_approve(make_draft(demo["th-hop-thanh"], nominees=2)))
    held, other = list(dossier.active_nominees())
    hold_on(held)
    chair = user(f"{Dossier.objects.get(pk=dossier.pk).current_stage.organisation.code}.chutichhd")

    with pytest.raises(DomainError) as refused:
        transitions.record_council_result(
            dossier.pk, by=chair, outcomes={held.pk: "passed", other.pk: "passed"}
        )
    assert refused.value.code == "held"
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.INTERMEDIATE_COUNCIL

    transitions.record_council_result(
        dossier.pk, by=chair, outcomes={held.pk: "failed", other.pk: "passed"}
    )
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.PROVINCIAL_APPRAISAL
