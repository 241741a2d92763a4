"""The signing step (issue 14): the secretariat drafts and submits (trình ký); only the
issuer's signing authority signs, under their own record; a returned draft is edited and
submitted again."""

from datetime import date

import pytest
from django.urls import reverse

from core.errors import DomainError
from decisions import services
from decisions.documents import build_decision, decision_doc
from decisions.models import Decision, DecisionStatus, NumberSeries, RegisteredNumber, Signatory
from decisions.profiles import person_name
from notifications.models import OutboxMessage
from registry.models import RegistryEntry
from tests.factories import user

from .helpers import body_texts, decision_for, issue, signing_day, submit

pytestmark = pytest.mark.django_db

SIGNER = "lang-son.lanhdao"
CLERK = "lang-son.vanphong"


def nothing_written() -> tuple:
    return (
        RegisteredNumber.objects.count(),
        NumberSeries.objects.count(),
        RegistryEntry.objects.count(),
    )


def test_the_secretariat_submits_and_the_signing_authority_is_told(demo):
    _, draft, secretariat = decision_for(demo["th-hop-thanh"], nominees=2)
    submitted = submit(draft, by=secretariat)
    assert submitted.status == DecisionStatus.SUBMITTED
    notice = OutboxMessage.objects.get(template="decision_for_signature")
    assert notice.recipient.username == SIGNER
    assert notice.context["url"] == reverse("decisions:detail", args=[draft.pk])


def test_the_secretariat_cannot_issue_and_nothing_changes(demo, client):
    _, draft, secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    submit(draft, by=secretariat)
    before = nothing_written()
    with signing_day(date(2027, 1, 4)), pytest.raises(DomainError) as refused:
        services.issue_decision(draft.pk, by=secretariat, issued_on=date(2027, 1, 4))
    assert refused.value.code == "no_permission"
    # The page neither: the secretariat is sent back, no number is taken.
    client.force_login(secretariat)
    page = client.get(reverse("decisions:issue", args=[draft.pk]))
    assert page.status_code == 302
    posted = client.post(
        reverse("decisions:issue", args=[draft.pk]), {"issued_on": "2026-12-01", "confirm": "on"}
    )
    assert posted.status_code == 302
    assert nothing_written() == before
    assert Decision.objects.get(pk=draft.pk).status == DecisionStatus.SUBMITTED
    detail = client.get(reverse("decisions:detail", args=[draft.pk])).content.decode()
    assert "Ký ban hành (cấp số)" not in detail


def test_another_bodys_signing_authority_cannot_sign(demo):
    _, draft, _ = decision_for(demo["th-hop-thanh"], nominees=1)
    submit(draft)
    with signing_day(date(2027, 1, 4)), pytest.raises(DomainError) as refused:
        services.issue_decision(draft.pk, by=user("hop-thanh.lanhdao"), issued_on=date(2027, 1, 4))
    assert refused.value.code == "no_permission"


def test_a_draft_not_submitted_is_not_signed(demo):
    _, draft, _ = decision_for(demo["th-hop-thanh"], nominees=1)
    with signing_day(date(2027, 1, 4)), pytest.raises(DomainError) as refused:
        services.issue_decision(draft.pk, by=user(SIGNER), issued_on=date(2027, 1, 4))
    assert refused.value.code == "not_submitted"
    assert not RegisteredNumber.objects.exists()


def test_the_signer_is_the_signing_authoritys_own_record_not_typed_text(demo):
    _, draft, secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    # decision_for passes signer_name="Hoàng Văn Nghiệm": a typed name is not a draft field.
    services.update_draft(draft.pk, by=secretariat, signer_name="Ai Đó", capacity="chair")
    signer = user(SIGNER)
    decision = issue(draft, by=signer)
    assert decision.signer_name == person_name(signer)
    assert decision.signer_title == "Phó Chủ tịch"
    assert decision.capacity == "deputy"
    texts = body_texts(build_decision(decision_doc(decision)))
    assert "KT. CHỦ TỊCH" in texts
    assert "PHÓ CHỦ TỊCH" in texts
    assert person_name(signer) in texts
    assert not any("Ai Đó" in t or "Hoàng Văn Nghiệm" in t for t in texts)


def test_a_signatory_record_gives_name_title_capacity_and_its_dates_bind(demo):
    province = demo["lang-son"]
    signer = user(SIGNER)
    Signatory.objects.create(
        organisation=province,
        user=signer,
        full_name="Đoàn Thu Hà",
        title="Chánh Văn phòng",
        capacity="by_order",
        basis="Quyết định số 12/QĐ-UBND ngày 02 tháng 01 năm 2026",
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
    )
    with signing_day(date(2026, 11, 30)):  # the council sits before the day the test signs
        _, expired_on_day, _ = decision_for(demo["th-hop-thanh"], nominees=1)
        submit(expired_on_day)
    before = nothing_written()
    with signing_day(date(2027, 1, 4)), pytest.raises(DomainError) as refused:
        services.issue_decision(expired_on_day.pk, by=signer, issued_on=date(2027, 1, 4))
    assert refused.value.code == "no_signer_record"  # the delegation ended on 31/12/2026
    assert nothing_written() == before

    decision = issue(expired_on_day, by=signer, on=date(2026, 12, 1))
    assert (decision.signer_name, decision.capacity) == ("Đoàn Thu Hà", "by_order")
    texts = body_texts(build_decision(decision_doc(decision)))
    assert "TL. CHỦ TỊCH" in texts
    assert "CHÁNH VĂN PHÒNG" in texts


def test_a_returned_draft_is_edited_and_submitted_again_then_signed(demo, client):
    _, draft, secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    submit(draft, by=secretariat)
    signer = user(SIGNER)
    with pytest.raises(DomainError) as refused:
        services.return_draft(draft.pk, by=signer, comment="  ")
    assert refused.value.field == "comment"
    with pytest.raises(DomainError):
        services.return_draft(draft.pk, by=secretariat, comment="Tự trả")

    services.return_draft(draft.pk, by=signer, comment="Sửa trích yếu cho đúng hình thức.")
    returned = Decision.objects.get(pk=draft.pk)
    assert returned.status == DecisionStatus.RETURNED
    notice = OutboxMessage.objects.get(template="decision_returned")
    assert notice.recipient == secretariat
    assert notice.context["comment"] == "Sửa trích yếu cho đúng hình thức."
    with signing_day(date(2027, 1, 4)), pytest.raises(DomainError) as not_yet:
        services.issue_decision(draft.pk, by=signer, issued_on=date(2027, 1, 4))
    assert not_yet.value.code == "not_submitted"

    client.force_login(secretariat)
    edited = client.post(
        reverse("decisions:edit", args=[draft.pk]),
        {"title": "Về việc tặng Bằng khen của Chủ tịch UBND tỉnh năm 2026", "proposal_ref": ""},
    )
    assert edited.status_code == 302
    client.post(reverse("decisions:submit", args=[draft.pk]), {"note": "Đã sửa theo ý kiến."})
    again = Decision.objects.get(pk=draft.pk)
    assert (again.status, again.submission_round) == (DecisionStatus.SUBMITTED, 2)
    assert OutboxMessage.objects.filter(template="decision_for_signature").count() == 2

    client.force_login(signer)
    detail = client.get(reverse("decisions:detail", args=[draft.pk])).content.decode()
    assert "Ký ban hành (cấp số)" in detail
    decision = issue(again, by=signer)
    assert decision.label == "Số: 01/QĐ-UBND"
    assert decision.title == "Về việc tặng Bằng khen của Chủ tịch UBND tỉnh năm 2026"


def test_editing_a_submitted_draft_takes_it_back_for_a_new_submission(demo):
    _, draft, secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    submit(draft, by=secretariat)
    services.update_draft(draft.pk, by=secretariat, title="Trích yếu mới")
    assert Decision.objects.get(pk=draft.pk).status == DecisionStatus.DRAFT
    with signing_day(date(2027, 1, 4)), pytest.raises(DomainError) as refused:
        services.issue_decision(draft.pk, by=user(SIGNER), issued_on=date(2027, 1, 4))
    assert refused.value.code == "not_submitted"


def test_the_signers_page_shows_the_signature_from_their_record(demo, client):
    _, draft, _ = decision_for(demo["th-hop-thanh"], nominees=1)
    submit(draft)
    signer = user(SIGNER)
    client.force_login(signer)
    page = client.get(reverse("decisions:issue", args=[draft.pk])).content.decode()
    assert "KT. CHỦ TỊCH" in page
    assert person_name(signer) in page
    assert 'name="signer_name"' not in page
