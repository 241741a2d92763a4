"""A campaign with its launching document, scope, phases and targets, two organisations'
commitments and results, and its role models."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from campaigns import services
from campaigns.models import Commitment, PhaseKind, RoleModelStage, TargetResult
from core.errors import DomainError
from dossiers.models import CampaignKind
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(demo):
    return f.user("lang-son.vanphong")


@pytest.fixture
def campaign(demo, secretariat):
    today = timezone.localdate()
    made = services.launch_campaign(
        organisation=demo["lang-son"],
        by=secretariat,
        name="Phong trào thi đua “Lạng Sơn chung sức xây dựng nông thôn mới”",
        kind=CampaignKind.MULTI_YEAR,
        theme="Chung sức xây dựng nông thôn mới, đô thị văn minh",
        starts_on=today - timedelta(days=300),
        ends_on=today + timedelta(days=400),
        document_number="125/KH-UBND",
        document_date=today - timedelta(days=305),
        document_signer="Chủ tịch UBND tỉnh",
        scope=[demo["cao-loc"], demo["van-quan"], demo["so-y-te"]],
        award_types=[f.award("co-thi-dua-tinh"), f.award("bang-khen-tinh")],
    )
    services.set_phase(
        made.pk,
        by=secretariat,
        kind=PhaseKind.REGISTRATION,
        starts_on=made.starts_on,
        ends_on=today + timedelta(days=10),
    )
    return made


@pytest.fixture
def targets(campaign, secretariat):
    return [
        services.add_target(
            campaign.pk, by=secretariat, name="Tăng trưởng kinh tế", unit="%", target_value="8"
        ),
        services.add_target(
            campaign.pk,
            by=secretariat,
            name="Xã đạt chuẩn nông thôn mới nâng cao",
            unit="xã",
            target_value="2",
        ),
        services.add_target(
            campaign.pk,
            by=secretariat,
            name="Tỷ lệ hộ nghèo",
            unit="%",
            target_value="3,5",
            higher_is_better=False,
        ),
    ]


def test_two_organisations_register_and_report_against_the_targets(demo, campaign, targets):
    growth, communes, poverty = targets
    hop_thanh = f.user("hop-thanh.thiduakhenthuong")
    so_y_te = f.user("so-y-te.thutruong")

    services.register_commitment(
        campaign.pk, by=hop_thanh, organisation=demo["hop-thanh"], text="Đạt 8,5 % tăng trưởng"
    )
    services.register_commitment(
        campaign.pk, by=so_y_te, organisation=demo["so-y-te"], text="100 % trạm y tế đạt chuẩn"
    )
    services.report_result(
        growth.pk, by=hop_thanh, organisation=demo["hop-thanh"], achieved_value="8,6"
    )
    services.report_result(
        poverty.pk, by=hop_thanh, organisation=demo["hop-thanh"], achieved_value="4.1"
    )
    services.report_result(growth.pk, by=so_y_te, organisation=demo["so-y-te"], achieved_value=7)
    services.report_result(
        communes.pk, by=so_y_te, organisation=demo["so-y-te"], achieved_value="2"
    )

    results = {
        (r.organisation.code, r.target.name): (r.achieved_value, r.reached)
        for r in TargetResult.objects.select_related("target", "organisation")
    }
    assert results == {
        ("hop-thanh", "Tăng trưởng kinh tế"): (Decimal("8.60"), True),
        ("hop-thanh", "Tỷ lệ hộ nghèo"): (Decimal("4.10"), False),  # must stay below 3.5
        ("so-y-te", "Tăng trưởng kinh tế"): (Decimal("7.00"), False),
        ("so-y-te", "Xã đạt chuẩn nông thôn mới nâng cao"): (Decimal("2.00"), True),
    }
    assert Commitment.objects.filter(campaign=campaign).count() == 2
    # A second report replaces the first, it does not add a row.
    services.report_result(growth.pk, by=so_y_te, organisation=demo["so-y-te"], achieved_value=9)
    assert TargetResult.objects.get(target=growth, organisation=demo["so-y-te"]).reached


def test_scope_is_inherited_down_the_tree(demo, campaign):
    assert services.in_scope(campaign, demo["hop-thanh"])  # under Huyện Cao Lộc (lineage)
    assert services.in_scope(campaign, demo["bvdk-tinh"])  # under Sở Y tế
    assert not services.in_scope(campaign, demo["so-gddt"])
    assert not services.in_scope(campaign, demo["thpt-chu-van-an"])
    codes = set(services.scope_organisations(campaign).values_list("code", flat=True))
    assert {"cao-loc", "hop-thanh", "xuat-le", "tan-doan", "bvdk-tinh"} <= codes
    assert "so-gddt" not in codes


def test_outside_the_scope_or_for_another_unit_nothing_is_written(demo, campaign, targets):
    growth = targets[0]
    events = AuditEvent.objects.count()

    with pytest.raises(DomainError) as outside:
        services.register_commitment(
            campaign.pk,
            by=f.user("so-gddt.thiduakhenthuong"),
            organisation=demo["so-gddt"],
            text="Cam kết",
        )
    with pytest.raises(DomainError) as for_other:
        services.report_result(
            growth.pk,
            by=f.user("xuat-le.thiduakhenthuong"),
            organisation=demo["hop-thanh"],
            achieved_value="9",
        )
    with pytest.raises(DomainError) as not_a_number:
        services.report_result(
            growth.pk,
            by=f.user("hop-thanh.thiduakhenthuong"),
            organisation=demo["hop-thanh"],
            achieved_value="tám",
        )

    assert outside.value.code == "out_of_scope"
    assert outside.value.field == "organisation"
    assert for_other.value.code == "no_permission"
    assert not_a_number.value.code == "not_a_number"
    assert "Giá trị đạt được" in not_a_number.value.text()
    assert TargetResult.objects.count() == 0
    assert Commitment.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_registration_closes_with_its_phase(demo, campaign):
    late = timezone.localdate() + timedelta(days=11)
    with pytest.raises(DomainError) as closed:
        services.register_commitment(
            campaign.pk,
            by=f.user("hop-thanh.thiduakhenthuong"),
            organisation=demo["hop-thanh"],
            text="Cam kết",
            on=late,
        )
    assert closed.value.code == "outside_registration"


def test_only_the_launching_secretariat_manages_the_campaign(demo, campaign):
    with pytest.raises(DomainError) as refused:
        services.add_target(
            campaign.pk,
            by=f.user("hop-thanh.vanphong"),
            name="Chỉ tiêu",
            unit="%",
            target_value="1",
        )
    assert refused.value.code == "no_permission"
    with pytest.raises(DomainError) as reversed_dates:
        services.launch_campaign(
            organisation=demo["lang-son"],
            by=f.user("lang-son.vanphong"),
            name="Sai ngày",
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 4, 1),
        )
    assert reversed_dates.value.field == "ends_on"


def test_role_models_go_from_discovery_to_commendation_never_back(demo, campaign, secretariat):
    found = services.flag_role_model(
        campaign.pk,
        by=f.user("hop-thanh.thiduakhenthuong"),
        organisation=demo["hop-thanh"],
        kind="individual",
        name="Hoàng Thị Mai",
        achievement="Hiến 500 m² đất làm đường liên thôn",
    )
    assert found.stage == RoleModelStage.DISCOVERED
    services.advance_role_model(found.pk, by=secretariat, stage=RoleModelStage.FOLLOWED)
    services.advance_role_model(found.pk, by=secretariat, stage=RoleModelStage.COMMENDED)
    with pytest.raises(DomainError) as backwards:
        services.advance_role_model(found.pk, by=secretariat, stage=RoleModelStage.FOLLOWED)
    with pytest.raises(DomainError) as not_manager:
        services.advance_role_model(
            found.pk, by=f.user("hop-thanh.thutruong"), stage=RoleModelStage.COMMENDED
        )
    assert backwards.value.code == "stage_backwards"
    assert not_manager.value.code == "no_permission"
