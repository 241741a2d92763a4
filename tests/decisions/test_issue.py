"""Issuing a decision: number, frozen draft, registry, dossiers decided; drafts leave no gap."""

from datetime import date

import pytest

from audit.models import AuditEvent
from core.errors import DomainError
from decisions import services
from decisions.models import Decision, NumberUse, RegisteredNumber
from dossiers.models import Dossier
from notifications.models import OutboxMessage
from registry.models import RegistryEntry
from tests.factories import user
from workflow.states import DossierStatus

from .helpers import decision_for, issue

pytestmark = pytest.mark.django_db


def province_signer():
    return user("lang-son.lanhdao")


def test_issuing_numbers_the_decision_records_awards_and_decides_the_dossier(demo):
    dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"])
    assert draft.label == ""
    assert draft.number is None

    decision = issue(draft, by=user("lang-son.lanhdao"))

    assert decision.label == "Số: 01/QĐ-UBND"
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DECIDED
    entries = RegistryEntry.objects.filter(decision=decision)
    assert sorted(entries.values_list("full_name", flat=True)) == sorted(
        dossier.active_nominees().values_list("full_name", flat=True)
    )
    assert {e.decision_label for e in entries} == {"01/QĐ-UBND"}
    assert AuditEvent.objects.filter(action="issue_decision", object_id=str(decision.pk)).exists()
    # the proposing unit hears of it (mark_decided's notice, through the outbox)
    assert OutboxMessage.objects.filter(template="dossier_decided").exists()


def test_an_issued_decision_is_never_edited_or_issued_again(demo):
    _, draft, _ = decision_for(demo["th-hop-thanh"], nominees=1)
    signer = user("lang-son.lanhdao")
    issue(draft, by=signer)
    for attempt in (
        lambda: services.update_draft(draft.pk, by=signer, title="Sửa"),
        lambda: services.issue_decision(draft.pk, by=signer, issued_on=date(2027, 1, 5)),
        lambda: services.cancel_draft(draft.pk, by=signer),
    ):
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == "not_draft"
    assert Decision.objects.get(pk=draft.pk).label == "Số: 01/QĐ-UBND"
    assert RegisteredNumber.objects.count() == 1


def test_a_cancelled_draft_leaves_no_gap(demo):
    _, first, secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    services.cancel_draft(first.pk, by=secretariat, reason="Soạn lại")
    again = services.create_draft(
        first.issuer_id,
        by=secretariat,
        nominee_ids=list(first.lines.values_list("nominee_id", flat=True)),
        signer_name="Hoàng Văn Nghiệm",
    )
    assert issue(again, by=province_signer()).label == "Số: 01/QĐ-UBND"


def test_a_voided_number_is_never_reissued(demo):
    _, draft, secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    province = demo["lang-son"]
    voided = services.void_number(province.pk, by=secretariat, year=2027, reason="Số hỏng")
    assert voided.number == 1
    assert voided.use == NumberUse.VOIDED

    assert issue(draft, by=province_signer()).label == "Số: 02/QĐ-UBND"
    assert RegisteredNumber.objects.get(number=1).use == NumberUse.VOIDED


def test_a_number_of_an_issued_decision_cannot_be_voided(demo):
    _, draft, secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    issue(draft, by=province_signer())
    with pytest.raises(DomainError) as refused:
        services.void_number(
            demo["lang-son"].pk, by=secretariat, year=2027, reason="nhầm", number=1
        )
    assert refused.value.code == "number_in_use"


def test_year_boundary_restarts_at_01_after_an_external_number(demo):
    """§9.6: last of 2026 is 4187/QĐ-UBND (a paper decision); first of 2027 is 01."""
    _, late_2026, secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    services.record_external_number(
        demo["lang-son"].pk, by=secretariat, number=4187, issued_on=date(2026, 12, 31)
    )
    with pytest.raises(DomainError) as taken:
        services.record_external_number(
            demo["lang-son"].pk, by=secretariat, number=4187, issued_on=date(2026, 12, 30)
        )
    assert taken.value.code == "number_taken"
    _, early_2027, _ = decision_for(demo["th-hop-thanh"], nominees=1, year=2026)

    assert issue(late_2026, by=province_signer(), on=date(2026, 12, 31)).label == "Số: 4188/QĐ-UBND"
    assert issue(early_2027, by=province_signer(), on=date(2027, 1, 4)).label == "Số: 01/QĐ-UBND"


def test_others_cannot_draft_or_issue(demo):
    dossier, draft, _ = decision_for(demo["th-hop-thanh"], nominees=1)
    ids = list(dossier.active_nominees().values_list("pk", flat=True))
    for outsider in ("hop-thanh.vanphong", "th-hop-thanh.thiduakhenthuong"):
        with pytest.raises(DomainError) as refused:
            services.issue_decision(draft.pk, by=user(outsider), issued_on=date(2027, 1, 4))
        assert refused.value.code == "no_permission"
        with pytest.raises(DomainError):
            services.create_draft(demo["lang-son"].pk, by=user(outsider), nominee_ids=ids)
    assert not RegisteredNumber.objects.exists()


def test_issue_by_the_secretariat_is_refused_and_writes_nothing(demo):
    """Signing is the signing authority's act (tests/decisions/test_signing_step.py)."""
    _, draft, secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    services.update_draft(draft.pk, by=secretariat, signer_name="")
    with pytest.raises(DomainError) as refused:
        issue(draft, by=secretariat)
    assert refused.value.code == "no_permission"
    assert not RegisteredNumber.objects.exists()
    assert not RegistryEntry.objects.exists()


def test_a_nominee_is_awarded_by_one_decision_only(demo):
    dossier, first, secretariat = decision_for(demo["th-hop-thanh"], nominees=2)
    ids = list(dossier.active_nominees().values_list("pk", flat=True))
    second = services.create_draft(
        demo["lang-son"].pk, by=secretariat, nominee_ids=ids[:1], signer_name="A"
    )
    issue(first, by=province_signer())
    with pytest.raises(DomainError) as refused:
        issue(second, by=province_signer())
    assert refused.value.code == "already_awarded"


def test_a_partial_decision_leaves_the_dossier_awaiting_the_rest(demo):
    dossier, full, secretariat = decision_for(demo["th-hop-thanh"], nominees=2)
    services.cancel_draft(full.pk, by=secretariat)
    first, second = dossier.active_nominees().values_list("pk", flat=True)
    part = services.create_draft(
        demo["lang-son"].pk, by=secretariat, nominee_ids=[first], signer_name="A"
    )
    issue(part, by=province_signer())
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.AWAITING_DECISION
    rest = services.create_draft(
        demo["lang-son"].pk, by=secretariat, nominee_ids=[second], signer_name="A"
    )
    issue(rest, by=province_signer())
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DECIDED
