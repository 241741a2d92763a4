"""One achievement, one award across forms; the same ad hoc act caught; đột xuất awards out
of chains; achievements after a discipline; one initiative, one award — from the registry
and the open dossiers, through the real submission."""

from datetime import date

import pytest
from django.utils import timezone

from core.errors import DomainError, TransitionRefused
from decisions import services as decision_services
from dossiers.models import Dossier
from dossiers.queries import planned_route_organisations
from organisations.models import Organisation
from registry import checks, services
from registry.models import AwardingKind, HoldKind, InitiativeScope
from tests.factories import actors_of, make_dossier_awaiting_decision, make_draft, user
from workflow import services as transitions
from workflow.states import DossierStatus

pytestmark = pytest.mark.django_db


def identity(i: int, unit) -> str:
    return f"0010850{i:05d}-{unit.code}"  # what tests.factories.make_draft gives nominee i


def record(unit, code, name, year, *, label="10/QĐ-UBND", **fields):
    return services.import_award(
        by=user("hop-thanh.vanphong"),
        issuer=Organisation.objects.get_parent(unit),
        unit=unit,
        full_name="Nguyễn Thị Hồng Nhung 1",
        identity_code=identity(0, unit),
        award_code=code,
        award_name=name,
        year=year,
        decision_label=label,
        decision_date=date(year, 12, 20),
        **fields,
    )


def problems(dossier):
    return checks.blocking_problems(dossier, competing=dossier.competing_nominees())


def submit(dossier):
    transitions.submit_dossier(dossier.pk, by=actors_of(dossier.proposer.code).proposer)
    return Dossier.objects.get(pk=dossier.pk)


def ad_hoc(dossier, day: date, act: str) -> Dossier:
    Dossier.objects.filter(pk=dossier.pk).update(kind="ad_hoc", act_date=day, act_description=act)
    return Dossier.objects.get(pk=dossier.pk)


def test_a_giay_khen_for_2026_is_refused_after_a_bang_khen_for_2026(demo):
    unit = demo["th-hop-thanh"]
    record(unit, "bang-khen-tinh", "Bằng khen của Chủ tịch UBND tỉnh", 2026, label="88/QĐ-UBND")
    dossier = make_draft(unit, "giay-khen-xa", year=2026)

    with pytest.raises(TransitionRefused):
        submit(dossier)
    (problem,) = problems(dossier)
    assert problem.rule == "duplicate"
    assert "Nguyễn Thị Hồng Nhung 1" in problem.message
    assert "88/QĐ-UBND" in problem.message
    assert "Luật Thi đua, khen thưởng năm 2022" in problem.message
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DRAFT
    # a Giấy khen for another year (another achievement) goes
    assert problems(make_draft(unit, "giay-khen-xa", year=2027)) == []


def test_a_giay_khen_is_refused_while_a_bang_khen_for_the_same_year_is_open(demo):
    unit = demo["th-hop-thanh"]
    first = submit(make_draft(unit, "bang-khen-tinh", year=2026))
    (problem,) = problems(make_draft(unit, "giay-khen-xa", year=2026))
    assert problem.rule == "duplicate"
    assert first.reference in problem.message


def test_the_same_ad_hoc_act_proposed_twice_is_caught(demo):
    unit = demo["th-hop-thanh"]
    day = date(2026, 3, 14)
    first = ad_hoc(
        make_draft(unit, "bang-khen-tinh", year=2026),
        day,
        "Dũng cảm cứu hai em học sinh bị đuối nước tại suối Khuổi Khoang",
    )
    first = submit(first)
    again = ad_hoc(
        make_draft(unit, "giay-khen-xa", year=2026),
        day,
        "dũng cảm cứu hai em học sinh bị đuối nước tại suối Khuổi Khoang.",
    )
    with pytest.raises(TransitionRefused):
        submit(again)
    (problem,) = problems(again)
    assert problem.rule == "duplicate"
    assert first.reference in problem.message
    # another act the same year is another achievement
    other = ad_hoc(
        make_draft(unit, "giay-khen-xa", year=2026), date(2026, 8, 2), "Bắt giữ đối tượng trộm cắp"
    )
    assert problems(other) == []


def test_a_dot_xuat_award_on_record_does_not_count_toward_a_chain(demo):
    unit = demo["th-hop-thanh"]
    record(unit, "cstdcs", "Chiến sĩ thi đua cơ sở", 2023)
    record(unit, "cstdcs", "Chiến sĩ thi đua cơ sở", 2024)
    record(
        unit,
        "cstdcs",
        "Chiến sĩ thi đua cơ sở",
        2025,
        label="77/QĐ-UBND",
        awarding_kind=AwardingKind.AD_HOC,
    )
    dossier = make_draft(unit, "cstd-tinh", year=2026)
    (problem,) = problems(dossier)
    assert problem.rule == "consecutive"
    assert problem.evidence["missing"] == [2025]
    assert "Khoản 3 Điều 4 Nghị định 152/2025/NĐ-CP" in problem.message


def test_after_a_discipline_ends_only_later_achievements_count(demo):
    unit = demo["th-hop-thanh"]
    for year in (2023, 2024, 2025):
        record(unit, "cstdcs", "Chiến sĩ thi đua cơ sở", year)
    dossier = make_draft(unit, "cstd-tinh", year=2026)
    assert problems(dossier) == []
    (nominee,) = dossier.active_nominees()
    clerk = user("hop-thanh.vanphong")
    hold = services.place_hold_on_nominee(
        nominee,
        by=clerk,
        secretariat=demo["hop-thanh"],
        kind=HoldKind.DISCIPLINE,
        body="Ủy ban nhân dân xã Hợp Thành",
        started_on=date(2024, 10, 1),
    )
    services.clear_hold(
        hold.pk,
        by=clerk,
        document="Quyết định số 5/QĐ-UBND chấm dứt hiệu lực kỷ luật",
        cleared_on=date(2025, 3, 1),
        discipline_imposed=True,
    )
    (problem,) = problems(dossier)
    assert problem.rule == "consecutive"
    assert problem.evidence["missing"] == [2023, 2024, 2025]
    assert "Khoản 4 Điều 4 Nghị định 152/2025/NĐ-CP" in problem.message


def test_a_cleared_hold_without_discipline_takes_no_year_away(demo):
    unit = demo["th-hop-thanh"]
    for year in (2023, 2024, 2025):
        record(unit, "cstdcs", "Chiến sĩ thi đua cơ sở", year)
    dossier = make_draft(unit, "cstd-tinh", year=2026)
    (nominee,) = dossier.active_nominees()
    clerk = user("hop-thanh.vanphong")
    hold = services.place_hold_on_nominee(
        nominee,
        by=clerk,
        secretariat=demo["hop-thanh"],
        kind=HoldKind.DISCIPLINE,
        body="Ủy ban nhân dân xã Hợp Thành",
        started_on=date(2024, 10, 1),
    )
    services.clear_hold(
        hold.pk, by=clerk, document="Thông báo không kỷ luật", cleared_on=date(2025, 3, 1)
    )
    assert problems(dossier) == []


def initiative(unit, **fields):
    return services.record_initiative(
        by=user(f"{unit.code}.thiduakhenthuong"),
        unit=unit,
        full_name="Nguyễn Thị Hồng Nhung 1",
        identity_code=identity(0, unit),
        title="Ứng dụng bản đồ tư duy trong dạy Tiếng Việt lớp 3",
        year=2025,
        scope=InitiativeScope.UNIT,
        recognised_by="Hội đồng sáng kiến xã Hợp Thành",
        document="Quyết định số 31/QĐ-UBND",
        **fields,
    )


def test_an_initiative_used_for_cstdcs_2025_cannot_back_a_second_award(demo):
    unit = demo["th-hop-thanh"]
    proposer = user("th-hop-thanh.thiduakhenthuong")
    idea = initiative(unit)
    cstdcs = record(unit, "cstdcs", "Chiến sĩ thi đua cơ sở", 2025, label="45/QĐ-UBND")
    services.link_initiative_to_award(
        cstdcs.pk, by=user("hop-thanh.vanphong"), initiative_id=idea.pk
    )
    dossier = make_draft(unit, "bang-khen-tinh", year=2026)
    (nominee,) = dossier.active_nominees()
    services.back_nominee_with_initiative(nominee, by=proposer, initiative_id=idea.pk)

    with pytest.raises(TransitionRefused):
        submit(dossier)
    (problem,) = problems(dossier)
    assert problem.rule == "initiative"
    assert "Ứng dụng bản đồ tư duy" in problem.message
    assert "Quyết định số 31/QĐ-UBND" in problem.message
    assert "45/QĐ-UBND" in problem.message
    assert "5007/BNV-TĐKT" in problem.message
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DRAFT

    # a reviewer may let it through, with a reason, on record (the override mechanism)
    services.override_eligibility(
        dossier,
        by=user("hop-thanh.vanphong"),
        rule="initiative",
        reason="Sáng kiến được công nhận lại ở phạm vi tỉnh",
        nominee_id=nominee.pk,
        competing=dossier.competing_nominees(),
        route=planned_route_organisations(dossier),
    )
    assert submit(dossier).status == DossierStatus.UNIT_REVIEW


def test_an_initiative_backing_an_open_proposal_cannot_back_another(demo):
    unit = demo["th-hop-thanh"]
    proposer = user("th-hop-thanh.thiduakhenthuong")
    idea = initiative(unit)
    first = make_draft(unit, "bang-khen-tinh", year=2025)
    services.back_nominee_with_initiative(
        first.active_nominees().get(), by=proposer, initiative_id=idea.pk
    )
    second = make_draft(unit, "giay-khen-xa", year=2026)
    services.back_nominee_with_initiative(
        second.active_nominees().get(), by=proposer, initiative_id=idea.pk
    )
    assert problems(second) == []  # the first is a draft nobody submitted: no claim yet
    first = submit(first)
    (problem,) = problems(second)
    assert problem.rule == "initiative"
    assert first.reference in problem.message


def test_only_the_author_initiative_and_the_units_proposer_may_link_it(demo):
    unit = demo["th-hop-thanh"]
    idea = initiative(unit)
    dossier = make_draft(unit, "bang-khen-tinh", nominees=2, year=2026)
    first, second = dossier.active_nominees().order_by("pk")
    with pytest.raises(DomainError) as refused:
        services.back_nominee_with_initiative(
            second, by=user("th-hop-thanh.thiduakhenthuong"), initiative_id=idea.pk
        )
    assert refused.value.code == "not_the_author"
    with pytest.raises(TransitionRefused):
        services.back_nominee_with_initiative(
            first, by=user("thcs-tan-doan.thiduakhenthuong"), initiative_id=idea.pk
        )
    with pytest.raises(DomainError) as refused:
        services.record_initiative(
            by=user("th-hop-thanh.thiduakhenthuong"),
            unit=unit,
            full_name="Nguyễn Thị Hồng Nhung 1",
            title="",
            year=2025,
            scope=InitiativeScope.UNIT,
            recognised_by="Hội đồng sáng kiến",
            document="QĐ 1",
        )
    assert refused.value.field == "title"


def test_a_decided_dossier_does_not_clash_with_its_own_awards(demo):
    # Once the decision is issued, the dossier's page still reads its eligibility panel: the
    # awards the dossier itself earned are its outcome, not "Trùng khen thưởng" against it.
    dossier = make_dossier_awaiting_decision(demo["th-hop-thanh"], nominees=2)
    secretariat = user("lang-son.vanphong")
    nominees = list(dossier.active_nominees().values_list("pk", flat=True))
    draft = decision_services.create_draft(
        demo["lang-son"].pk, by=secretariat, nominee_ids=nominees
    )
    decision_services.submit_for_signature(draft.pk, by=secretariat)
    decision_services.issue_decision(
        draft.pk, by=user("lang-son.lanhdao"), issued_on=timezone.localdate()
    )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == DossierStatus.DECIDED
    failed = checks.blocking_problems(dossier, competing=dossier.competing_nominees())
    assert failed == []
