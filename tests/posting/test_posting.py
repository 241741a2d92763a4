"""Public posting (công khai): the approved list is published for the award form's working
days; objections hold the nominee until answered; no decision before the window's end."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError, TransitionRefused
from decisions.models import RegisteredNumber
from dossiers import posting
from dossiers.models import AwardType, Dossier, Objection, Posting
from office.dates import cited_date
from registry.models import Hold, RegistryEntry
from tests.decisions.helpers import decision_for, issue
from tests.factories import make_draft, stage_secretariat, submit_and_approve, user
from workflow import services as transitions
from workflow.calendar import add_working_days
from workflow.deadlines import calendar_for
from workflow.states import DossierStatus

pytestmark = pytest.mark.django_db


def SIGNER():
    """The province's signing authority (the secretariat drafts and submits; it signs not)."""
    return user("lang-son.lanhdao")


SEVEN = 7  # Hà Nội QĐ 71/2025 art. 5


@pytest.fixture
def posted_form(demo):
    AwardType.objects.filter(code="bang-khen-tinh").update(
        posting_days=SEVEN, posting_basis="QĐ 71/2025/QĐ-UBND, điều 5"
    )


def _posted_dossier(demo, nominees: int = 2) -> Dossier:
    return submit_and_approve(make_draft(demo["th-hop-thanh"], nominees=nominees))


def test_the_unit_heads_approval_publishes_the_list_for_seven_working_days(demo, posted_form):
    dossier = _posted_dossier(demo)
    today = timezone.localdate()

    shown = Posting.objects.get(dossier=dossier)

    assert shown.starts_on == today
    assert shown.ends_on == add_working_days(today, SEVEN, calendar_for(today))
    assert set(shown.nominees.all()) == set(dossier.active_nominees())
    assert shown.basis == "QĐ 71/2025/QĐ-UBND, điều 5"


def test_a_form_without_posting_publishes_nothing_and_issues_as_before(demo):
    dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    assert not Posting.objects.filter(dossier=dossier).exists()
    assert issue(draft, by=SIGNER()).label == "Số: 01/QĐ-UBND"


def test_publish_objection_hold_blocks_answer_clears(demo, posted_form):
    dossier = _posted_dossier(demo)
    nominee = dossier.active_nominees().first()
    colleague = user("th-hop-thanh.uyvien")  # a member of the unit's own council

    objection = posting.raise_objection(
        dossier.pk, by=colleague, nominee_id=nominee.pk, text="Chưa hoàn thành nhiệm vụ quý IV."
    )
    assert (objection.raised_by, objection.nominee, objection.is_open) == (colleague, nominee, True)

    secretariat = stage_secretariat(dossier)
    transitions.accept_dossier(dossier.pk, by=secretariat)
    with pytest.raises(TransitionRefused) as refused:
        transitions.send_to_council(dossier.pk, by=secretariat)
    assert "ý kiến phản ánh" in str(refused.value)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.INTERMEDIATE_APPRAISAL

    answered = posting.answer_objection(
        objection.pk, by=secretariat, answer="Đã xác minh: nhiệm vụ quý IV hoàn thành."
    )
    assert answered.answered_on == timezone.localdate()
    assert answered.answered_by == secretariat

    transitions.send_to_council(dossier.pk, by=secretariat)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.INTERMEDIATE_COUNCIL


def test_an_objection_the_secretariat_records_for_a_citizen_holds_the_subject_in_the_registry(
    demo, posted_form
):
    dossier = _posted_dossier(demo)
    nominee = dossier.active_nominees().first()
    secretariat = stage_secretariat(dossier)

    objection = posting.raise_objection(
        dossier.pk,
        by=secretariat,
        nominee_id=nominee.pk,
        text="Thư phản ánh về việc chấp hành quy định.",
        on_behalf_of="Bà Lê Thị Thu, thôn Nà Lay",
    )
    hold = Hold.objects.get(pk=objection.hold_id)
    assert hold.source == f"objection:{objection.pk}"
    assert hold.full_name == nominee.full_name
    assert hold.cleared_on is None

    posting.answer_objection(objection.pk, by=secretariat, answer="Đã trả lời bằng văn bản.")
    assert Hold.objects.get(pk=hold.pk).cleared_on == timezone.localdate()


def test_who_may_see_object_and_answer(demo, posted_form, client):
    dossier = _posted_dossier(demo)
    nominee = dossier.active_nominees().first()
    outsider = user("thcs-tan-doan.thutruong")  # another commune's school
    assert posting.can_see_posting(dossier, user("lang-son.vanphong"))  # the route's province
    assert posting.can_see_posting(dossier, user("th-hop-thanh.uyvien"))
    assert not posting.can_see_posting(dossier, outsider)

    before = Objection.objects.count()
    with pytest.raises(TransitionRefused):
        posting.raise_objection(dossier.pk, by=outsider, nominee_id=nominee.pk, text="x")
    with pytest.raises(DomainError) as not_secretariat:
        posting.raise_objection(
            dossier.pk,
            by=user("th-hop-thanh.uyvien"),
            nominee_id=nominee.pk,
            text="x",
            on_behalf_of="Ông A",
        )
    assert not_secretariat.value.field == "on_behalf_of"
    with pytest.raises(DomainError) as empty:
        posting.raise_objection(
            dossier.pk, by=user("th-hop-thanh.uyvien"), nominee_id=nominee.pk, text="  "
        )
    assert empty.value.field == "text"
    assert Objection.objects.count() == before

    objection = posting.raise_objection(
        dossier.pk, by=user("th-hop-thanh.uyvien"), nominee_id=nominee.pk, text="Phản ánh."
    )
    with pytest.raises(TransitionRefused):  # the unit's council member is no secretariat
        posting.answer_objection(objection.pk, by=user("th-hop-thanh.uyvien"), answer="Xong.")
    assert Objection.objects.get(pk=objection.pk).is_open

    client.force_login(outsider)
    assert client.get(reverse("dossiers:posting", args=[dossier.pk])).status_code == 404


def test_issue_before_the_window_end_is_refused_with_the_date_and_after_it_succeeds(
    demo, posted_form
):
    dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    window = Posting.objects.get(dossier=dossier)

    with pytest.raises(DomainError) as refused:
        issue(draft, by=SIGNER(), on=window.ends_on)

    assert refused.value.code == "posting_not_over"
    assert refused.value.field == "issued_on"
    assert cited_date(window.ends_on) in str(refused.value)
    assert RegisteredNumber.objects.count() == 0  # no number taken
    assert not RegistryEntry.objects.exists()
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.AWAITING_DECISION

    decision = issue(draft, by=SIGNER(), on=window.ends_on + timedelta(days=1))
    assert decision.label == "Số: 01/QĐ-UBND"
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DECIDED


def test_an_unanswered_objection_refuses_the_decision_naming_the_nominee(demo, posted_form):
    dossier, draft, _secretariat = decision_for(demo["th-hop-thanh"], nominees=1)
    window = Posting.objects.get(dossier=dossier)
    nominee = dossier.active_nominees().get()
    province = user("lang-son.vanphong")
    # Raised by a colleague (no registry hold: only a secretariat may place one), so it is
    # this module's own refusal that bites, not the registry's.
    objection = posting.raise_objection(
        dossier.pk, by=user("th-hop-thanh.uyvien"), nominee_id=nominee.pk, text="Phản ánh."
    )
    assert objection.hold_id is None

    with pytest.raises(DomainError) as refused:
        issue(draft, by=SIGNER(), on=window.ends_on + timedelta(days=1))
    assert refused.value.code == "open_objection"
    assert nominee.full_name in str(refused.value)
    assert RegisteredNumber.objects.count() == 0

    posting.answer_objection(objection.pk, by=province, answer="Tố cáo không có cơ sở.")
    assert issue(draft, by=SIGNER(), on=window.ends_on + timedelta(days=1)).label


def test_the_posting_page_lists_the_nominees_and_takes_an_objection(demo, posted_form, client):
    dossier = _posted_dossier(demo, nominees=1)
    nominee = dossier.active_nominees().get()
    client.force_login(user("th-hop-thanh.uyvien"))
    url = reverse("dossiers:posting", args=[dossier.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert nominee.full_name in page.content.decode()

    bad = client.post(url, {"action": "object", "nominee": "999999", "text": ""})
    assert bad.status_code == 200  # the form again, with its errors, never a 500
    assert not Objection.objects.exists()

    client.post(url, {"action": "object", "nominee": str(nominee.pk), "text": "Phản ánh."})
    assert Objection.objects.get().text == "Phản ánh."
