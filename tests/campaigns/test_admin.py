"""The campaigns admin goes through campaigns.services (issue 16): the province administrator
adds phases, targets, a cluster's year and its covenant with the services' checks and audit
rows; a refusal is a form error with nothing written, never a 500; a reported result, a
scored member and a scored criterion are never lost, and a scored covenant is locked."""

from datetime import date, timedelta

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from audit.models import AuditEvent
from campaigns import services
from campaigns.models import (
    ClusterFlagRule,
    ClusterMember,
    ClusterYear,
    Covenant,
    Criterion,
    Phase,
    Score,
    ScoreRound,
    Target,
    TargetResult,
)
from core.errors import DomainError
from dossiers.models import CampaignKind
from tests import factories as f

from .conftest import CRITERIA, DEPUTY, LEADER, MEMBERS

pytestmark = pytest.mark.django_db
ADMIN = "/quan-tri/campaigns"


@pytest.fixture
def administrator(client, demo):
    """The province's administrator (not its secretariat), signed in to the admin."""
    user = f.user("lang-son.quantri")
    client.force_login(user)
    return user


@pytest.fixture
def campaign(demo):
    today = timezone.localdate()
    return services.launch_campaign(
        organisation=demo["lang-son"],
        by=f.user("lang-son.vanphong"),
        name="Phong trào thi đua “Lạng Sơn chung sức xây dựng nông thôn mới”",
        kind=CampaignKind.MULTI_YEAR,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=300),
        scope=[demo["so-y-te"]],
    )


def inline(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data |= {f"{prefix}-{i}-{key}": value for key, value in row.items()}
    return data


def test_a_phase_goes_through_set_phase_and_a_refusal_is_a_form_error(
    client, administrator, campaign
):
    events = AuditEvent.objects.count()
    early = campaign.starts_on - timedelta(days=5)
    data = {"campaign": campaign.pk, "kind": "interim_review", "note": ""}

    before_launch = client.post(
        f"{ADMIN}/phase/add/",
        data | {"starts_on": f"{early:%d/%m/%Y}", "ends_on": f"{campaign.starts_on:%d/%m/%Y}"},
    )
    reversed_dates = client.post(
        f"{ADMIN}/phase/add/",
        data
        | {
            "starts_on": f"{campaign.starts_on + timedelta(days=9):%d/%m/%Y}",
            "ends_on": f"{campaign.starts_on:%d/%m/%Y}",
        },
    )

    assert before_launch.status_code == reversed_dates.status_code == 200
    assert "Từ ngày: giai đoạn không bắt đầu trước ngày phát động" in before_launch.content.decode()
    assert "Đến ngày: phải từ ngày" in reversed_dates.content.decode()
    assert not Phase.objects.exists()
    assert AuditEvent.objects.count() == events

    done = client.post(
        f"{ADMIN}/phase/add/",
        data
        | {
            "starts_on": f"{campaign.starts_on:%d/%m/%Y}",
            "ends_on": f"{campaign.starts_on + timedelta(days=9):%d/%m/%Y}",
        },
    )
    assert done.status_code == 302
    assert Phase.objects.get().kind == "interim_review"
    assert AuditEvent.objects.filter(action="campaign_phase_set", actor=administrator).exists()


def test_a_target_with_results_is_never_deleted_and_changes_are_audited(
    client, administrator, demo, campaign
):
    target = services.add_target(
        campaign.pk, by=administrator, name="Tỷ lệ tiêm chủng", unit="%", target_value="95"
    )
    services.report_result(
        target.pk,
        by=f.user("so-y-te.thiduakhenthuong"),
        organisation=demo["so-y-te"],
        achieved_value="97",
    )

    response = client.post(f"{ADMIN}/target/{target.pk}/delete/", {"post": "yes"})

    assert response.status_code == 200  # the page names the results that protect it
    assert Target.objects.filter(pk=target.pk).exists()
    assert TargetResult.objects.filter(target=target).count() == 1

    changed = client.post(
        f"{ADMIN}/target/{target.pk}/change/",
        {
            "name": "Tỷ lệ tiêm chủng đầy đủ",
            "unit": "%",
            "target_value": "98",
            "higher_is_better": "on",
        },
    )
    assert changed.status_code == 302
    assert Target.objects.get(pk=target.pk).target_value == 98
    assert AuditEvent.objects.filter(action="campaign_target_changed").exists()


def test_the_services_refuse_to_delete_a_reported_target(administrator, demo, campaign):
    target = services.add_target(
        campaign.pk, by=administrator, name="Tỷ lệ tiêm chủng", unit="%", target_value="95"
    )
    services.report_result(
        target.pk,
        by=f.user("so-y-te.thiduakhenthuong"),
        organisation=demo["so-y-te"],
        achieved_value="97",
    )
    with pytest.raises(DomainError) as refused:
        services.remove_target(target.pk, by=administrator)
    assert refused.value.code == "target_has_results"
    with pytest.raises(ProtectedError):
        target.delete()
    assert TargetResult.objects.filter(target=target).count() == 1


def year_form(cluster, demo, *, leader: str, deputy: str, members: list[str]) -> dict:
    return {
        "cluster": cluster.pk,
        "year": "2027",
        "leader": demo[leader].pk,
        "deputy": demo[deputy].pk,
    } | inline(
        "members",
        [{"organisation": demo[c].pk, "women_share": "50"} for c in members],
    )


def test_a_cluster_year_is_opened_through_the_service(client, administrator, demo, cluster):
    refused = client.post(
        f"{ADMIN}/clusteryear/add/",
        year_form(cluster, demo, leader="bvdk-tinh", deputy=DEPUTY, members=MEMBERS),
    )
    same = client.post(
        f"{ADMIN}/clusteryear/add/",
        year_form(cluster, demo, leader=DEPUTY, deputy=DEPUTY, members=MEMBERS),
    )
    assert refused.status_code == same.status_code == 200
    assert "Cụm trưởng: phải là một thành viên của cụm." in refused.content.decode()
    assert "Cụm phó: phải khác cụm trưởng." in same.content.decode()
    assert not ClusterYear.objects.exists()
    assert not ClusterMember.objects.exists()

    done = client.post(
        f"{ADMIN}/clusteryear/add/",
        year_form(cluster, demo, leader=LEADER, deputy=DEPUTY, members=MEMBERS),
    )
    assert done.status_code == 302
    row = ClusterYear.objects.get()
    assert (row.year, row.leader.code, row.members.count()) == (2027, LEADER, len(MEMBERS))
    assert AuditEvent.objects.filter(action="cluster_year_opened", actor=administrator).exists()


def scored(cluster_year, covenant):
    """One member's self-assessment under the covenant."""
    member = cluster_year.members.get(organisation__code="so-y-te")
    services.record_scores(
        member.pk,
        by=f.user("so-y-te.thiduakhenthuong"),
        round=ScoreRound.SELF,
        scores={c.pk: (c.max_score, "báo cáo") for c in covenant.criteria.all()},
    )
    return member


def test_a_scored_member_stays_in_its_year(client, administrator, demo, cluster_year, covenant):
    member = scored(cluster_year, covenant)
    rows = [
        {
            "id": m.pk,
            "cluster_year": cluster_year.pk,
            "organisation": m.organisation_id,
            "women_share": str(m.women_share),
        }
        for m in cluster_year.members.order_by("pk")
    ]
    for row in rows:
        if row["id"] == member.pk:
            row["DELETE"] = "on"
    data = {"leader": demo[LEADER].pk, "deputy": demo[DEPUTY].pk} | inline(
        "members", rows, initial=len(rows)
    )

    response = client.post(f"{ADMIN}/clusteryear/{cluster_year.pk}/change/", data)

    assert response.status_code == 200
    assert ClusterMember.objects.filter(pk=member.pk).exists()
    assert Score.objects.filter(member=member).count() == len(CRITERIA)


def covenant_form(cluster_year, criteria: list[dict], *, initial: int = 0) -> dict:
    return {
        "cluster_year": cluster_year.pk,
        "signed_on": "20/02/2026",
        "place": "",
        "tie_break": "",
    } | inline("criteria", criteria, initial=initial)


def test_a_covenant_is_signed_through_the_service(client, administrator, cluster_year):
    empty = client.post(f"{ADMIN}/covenant/add/", covenant_form(cluster_year, []))
    assert empty.status_code == 200
    assert "Tiêu chí: giao ước cần ít nhất một tiêu chí." in empty.content.decode()
    assert not Covenant.objects.exists()

    done = client.post(
        f"{ADMIN}/covenant/add/",
        covenant_form(
            cluster_year,
            [
                {
                    "name": c["name"],
                    "weight": c["weight"],
                    "max_score": c["max_score"],
                    "evidence_required": c.get("evidence_required", ""),
                    "position": str(i),
                }
                for i, c in enumerate(CRITERIA, start=1)
            ],
        ),
    )
    assert done.status_code == 302
    covenant = Covenant.objects.get()
    assert covenant.criteria.count() == len(CRITERIA)
    assert covenant.tie_break == ["heaviest_criterion", "women_share", "name"]
    assert AuditEvent.objects.filter(action="covenant_signed", actor=administrator).exists()


def test_a_scored_covenant_is_locked_and_its_criteria_keep_their_scores(
    client, administrator, cluster_year, covenant
):
    criteria = list(covenant.criteria.order_by("pk"))
    rows = [
        {
            "id": c.pk,
            "covenant": covenant.pk,
            "name": c.name,
            "weight": "1",
            "max_score": str(c.max_score),
            "evidence_required": "",
            "position": str(c.position),
        }
        for c in criteria
    ]
    rows[0]["DELETE"] = "on"
    data = covenant_form(cluster_year, rows, initial=len(rows))

    # Before anyone is scored the covenant is corrected through revise_covenant.
    assert client.post(f"{ADMIN}/covenant/{covenant.pk}/change/", data).status_code == 302
    assert AuditEvent.objects.filter(action="covenant_revised").exists()
    assert Criterion.objects.filter(covenant=covenant).count() == len(CRITERIA) - 1

    covenant = Covenant.objects.get(pk=covenant.pk)
    member = scored(cluster_year, covenant)
    criteria = list(covenant.criteria.order_by("pk"))
    weights = [c.weight for c in criteria]
    page = client.get(f"{ADMIN}/covenant/{covenant.pk}/change/").content.decode()
    assert "Giao ước đã có điểm chấm" in page
    rows = [
        {
            "id": c.pk,
            "covenant": covenant.pk,
            "name": c.name,
            "weight": "1",
            "max_score": str(c.max_score),
            "evidence_required": "",
            "position": str(c.position),
        }
        for c in criteria
    ]
    rows[0]["DELETE"] = "on"

    response = client.post(
        f"{ADMIN}/covenant/{covenant.pk}/change/", covenant_form(cluster_year, rows, initial=2)
    )

    assert response.status_code in (200, 403)  # locked: refused, never a 500
    assert [c.weight for c in Criterion.objects.filter(covenant=covenant).order_by("pk")] == weights
    assert Score.objects.filter(member=member).count() == len(criteria)
    with pytest.raises(DomainError) as refused:
        services.revise_covenant(
            covenant.pk, by=administrator, signed_on=date(2026, 2, 21), criteria=CRITERIA
        )
    assert refused.value.code == "covenant_scored"


def test_a_scored_criterion_or_member_cannot_be_deleted_by_any_path(cluster_year, covenant):
    member = scored(cluster_year, covenant)
    criterion = covenant.criteria.first()
    with pytest.raises(ProtectedError):
        criterion.delete()
    with pytest.raises(ProtectedError):
        member.delete()
    assert Score.objects.filter(member=member).count() == len(CRITERIA)


def test_the_leader_only_rule_is_set_through_its_service(client, administrator, demo):
    data = {
        "province": demo["lang-son"].pk,
        "flag_only_to_leader": "on",
        "award_codes": '["co-thi-dua-tinh"]',
        "basis": "",
    }
    refused = client.post(f"{ADMIN}/clusterflagrule/add/", data)
    assert refused.status_code == 200
    assert "Căn cứ: bắt buộc nhập khi bật quy định" in refused.content.decode()
    assert not ClusterFlagRule.objects.exists()

    done = client.post(f"{ADMIN}/clusterflagrule/add/", data | {"basis": "Quy chế, điều 12"})
    assert done.status_code == 302
    assert ClusterFlagRule.objects.get().applies_to("co-thi-dua-tinh")
    assert AuditEvent.objects.filter(action="cluster_flag_rule_set", actor=administrator).exists()
