"""The campaign and cluster pages: what a user sees, and what a form refuses (never a 500)."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from audit.models import AuditEvent
from campaigns.demo import CAMPAIGN_NAME, CLUSTER_CODE, seed_campaigns
from campaigns.models import Cluster, ClusterYear, RoleModel, Score, ScoreRound, TargetResult
from councils import services as councils
from councils.demo import seed_councils
from dossiers.models import Campaign, Dossier
from tests import factories as f
from tests.campaigns.conftest import MEMBERS
from tests.campaigns.test_clusters import review_all, self_assess_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo):
    seed_councils()
    seed_campaigns()
    return Campaign.objects.get(name=CAMPAIGN_NAME), Cluster.objects.get(body__code=CLUSTER_CODE)


def test_the_campaign_page_shows_targets_results_dossiers_and_role_models(client, seeded):
    campaign, _cluster = seeded
    client.force_login(f.user("so-gddt.thiduakhenthuong"))

    listing = client.get(reverse("campaigns:list")).content.decode()
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()

    assert CAMPAIGN_NAME in listing
    assert "15/KH-UBND" in page
    assert "Tốc độ tăng trưởng kinh tế" in page
    assert "1/2 đơn vị đạt" in page  # Hợp Thành 8,6 ≥ 8; Sở Y tế 7,2 < 8
    assert "Xã Hợp Thành" in page
    assert "Sở Y tế tỉnh Lạng Sơn" in page
    assert "Hoàng Thị Mai" in page
    assert "Trạm Y tế xã Xuất Lễ" in page
    assert "Dự thảo" in page  # the campaign's dossiers by state
    # Not in the scope's registering units? The whole province is the scope: it may report.
    assert reverse("campaigns:report", args=[campaign.pk]) in page


def test_an_organisation_reports_through_the_form_and_a_bad_number_is_named(client, seeded):
    campaign, _cluster = seeded
    growth = campaign.targets.get(name="Tốc độ tăng trưởng kinh tế")
    client.force_login(f.user("xuat-le.thiduakhenthuong"))
    url = reverse("campaigns:report", args=[campaign.pk])
    org = f.user("xuat-le.thiduakhenthuong").memberships.get().organisation

    refused = client.post(url, {"organisation": org.pk, f"target-{growth.pk}": "tám"})
    assert refused.status_code == 200
    assert "Giá trị đạt được: phải là một số" in refused.content.decode()
    assert not TargetResult.objects.filter(organisation=org).exists()

    done = client.post(
        url,
        {"organisation": org.pk, "commitment": "Tăng trưởng 9 %", f"target-{growth.pk}": "9,1"},
    )
    assert done.status_code == 302
    result = TargetResult.objects.get(organisation=org, target=growth)
    assert str(result.achieved_value) == "9.10"


def test_the_report_form_is_not_offered_to_who_reports_for_no_unit(client, seeded):
    campaign, _cluster = seeded
    client.force_login(f.user("lang-son.chutichhd"))
    assert client.get(reverse("campaigns:report", args=[campaign.pk])).status_code == 404
    forged = client.post(reverse("campaigns:report", args=[campaign.pk]), {"organisation": "1"})
    assert forged.status_code == 404


def test_the_cluster_page_shows_the_ranking_its_rule_the_vote_and_the_proposal(client, seeded):
    _campaign, cluster = seeded
    client.force_login(f.user("so-noi-vu.thiduakhenthuong"))

    page = client.get(reverse("campaigns:cluster", args=[cluster.pk])).content.decode()

    assert "Cụm trưởng" in page
    assert "Xã Hợp Thành" in page
    assert "Thực hiện các chỉ tiêu kinh tế – xã hội được giao" in page
    assert "báo cáo thống kê có xác nhận của cơ quan thống kê" in page
    assert "Điều 4 khoản 6 Nghị định 152/2025/NĐ-CP" in page
    assert "Bằng điểm với Xã Tân Đoàn; xét theo tiêu chí có trọng số lớn nhất" in page
    assert "Bằng điểm với Sở Giáo dục và Đào tạo tỉnh Lạng Sơn; xét theo tỷ lệ nữ" in page
    assert "Biên bản số 01/BB-HĐTĐKT" in page
    assert "Cờ thi đua của Ủy ban nhân dân tỉnh" in page
    assert "6 phiếu đồng ý; xếp thứ 1" in page
    history = client.get(reverse("campaigns:cluster", args=[cluster.pk]) + "?nam=2025")
    assert "năm 2025" in history.content.decode()
    assert client.get(reverse("campaigns:cluster", args=[cluster.pk]) + "?nam=x").status_code == 200


def test_scores_are_frozen_on_the_page_after_the_vote(client, seeded):
    _campaign, cluster = seeded
    member = cluster.years.get(year=2026).members.get(organisation__code="so-noi-vu")
    client.force_login(f.user("so-noi-vu.thiduakhenthuong"))
    criteria = list(member.cluster_year.covenant.criteria.all())
    before = list(Score.objects.filter(member=member).values_list("score", flat=True))
    data = {}
    for c in criteria:
        data[f"score-{c.pk}"] = "1"
        data[f"evidence-{c.pk}"] = "x"

    response = client.post(
        reverse("campaigns:score", args=[cluster.pk, member.pk, ScoreRound.SELF]), data
    )

    assert response.status_code == 200
    assert "không sửa được nữa" in response.content.decode()
    assert list(Score.objects.filter(member=member).values_list("score", flat=True)) == before
    bad = client.get(reverse("campaigns:score", args=[cluster.pk, member.pk, "nonsense"]))
    assert bad.status_code == 404


def test_a_member_scores_itself_on_the_page_and_only_its_own(client, cluster_year, covenant):
    member = cluster_year.members.get(organisation__code="so-y-te")
    other = cluster_year.members.get(organisation__code="so-gddt")
    criteria = list(covenant.criteria.order_by("position"))
    url = reverse("campaigns:score", args=[cluster_year.cluster_id, member.pk, ScoreRound.SELF])
    client.force_login(f.user("so-y-te.thiduakhenthuong"))

    page = client.get(url).content.decode()
    assert "Cần có: báo cáo thống kê có xác nhận." in page
    missing = {f"score-{c.pk}": "10" for c in criteria} | {f"evidence-{c.pk}": "" for c in criteria}
    refused = client.post(url, missing)
    assert refused.status_code == 200
    assert "Minh chứng tiêu chí" in refused.content.decode()
    assert not Score.objects.filter(member=member).exists()

    done = client.post(url, missing | {f"evidence-{criteria[0].pk}": "Báo cáo 12/BC"})
    assert done.status_code == 302
    assert Score.objects.filter(member=member, round=ScoreRound.SELF).count() == 3
    # Another member's self-assessment, or the cluster's review, is not this officer's.
    other_url = reverse(
        "campaigns:score", args=[cluster_year.cluster_id, other.pk, ScoreRound.SELF]
    )
    review_url = reverse(
        "campaigns:score", args=[cluster_year.cluster_id, member.pk, ScoreRound.REVIEW]
    )
    assert client.get(other_url).status_code == 404
    assert client.post(review_url, missing).status_code == 404
    assert not Score.objects.filter(round=ScoreRound.REVIEW).exists()


def test_the_admin_lists_clusters_and_campaign_parts(client, seeded, django_user_model):
    """As the platform operator: the province administrator's group needs the campaigns
    models in organisations.services.ADMIN_MODELS (left to the lead, see .pending)."""
    client.force_login(django_user_model.objects.create_superuser("nen-tang", password="x" * 20))
    for model in ("cluster", "clusteryear", "covenant", "target", "phase", "clusterflagrule"):
        response = client.get(f"/quan-tri/campaigns/{model}/")
        assert response.status_code == 200, model
    _campaign, cluster = seeded
    assert client.get(f"/quan-tri/campaigns/cluster/{cluster.pk}/change/").status_code == 200
    assert client.get("/quan-tri/campaigns/cluster/add/").status_code == 200


def test_the_office_runs_the_vote_and_files_the_proposal_from_the_cluster_page(
    client, cluster_year, covenant, office
):
    self_assess_all(cluster_year, covenant)
    review_all(cluster_year, covenant, office)
    cluster_id = cluster_year.cluster_id
    base = f"?nam={cluster_year.year}"
    client.force_login(f.user("so-y-te.thiduakhenthuong"))  # a member, not the office
    forged = client.post(reverse("campaigns:cluster_vote", args=[cluster_id]) + base, {})
    assert forged.status_code == 404

    client.force_login(office)
    page = client.get(reverse("campaigns:cluster", args=[cluster_id]) + base).content.decode()
    assert "Đưa ra bỏ phiếu suy tôn" in page
    response = client.post(
        reverse("campaigns:cluster_vote", args=[cluster_id]) + base,
        {"candidates": "2", "place": "Hội trường"},
    )
    row = ClusterYear.objects.get(pk=cluster_year.pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("councils:meeting", args=[row.vote_meeting_id])
    assert row.vote_dossier.active_nominees().count() == 2

    councils.record_attendance(row.vote_meeting_id, by=office, absent={})
    councils.open_meeting(row.vote_meeting_id, by=office)
    for code in MEMBERS:
        for nominee in row.vote_dossier.active_nominees():
            councils.cast_ballot(
                row.vote_meeting_id,
                by=f.user(f"{code}.thutruong"),
                nominee_id=nominee.pk,
                choice="agree",
            )
    councils.close_meeting(row.vote_meeting_id, by=office)

    flag = f.award("co-thi-dua-tinh")
    page = client.get(reverse("campaigns:cluster", args=[cluster_id]) + base).content.decode()
    assert "Lập hồ sơ đề nghị cho đơn vị được suy tôn" in page
    filed = client.post(
        reverse("campaigns:cluster_propose", args=[cluster_id]) + base, {"award": flag.pk}
    )
    proposal = ClusterYear.objects.get(pk=row.pk).proposal
    assert filed["Location"] == reverse("dossiers:detail", args=[proposal.pk])
    assert proposal.active_nominees().get().identity_code == "so-y-te"

    # Without its documents the submission is refused, with the reason, and stays a draft.
    refused = client.post(
        reverse("campaigns:cluster_submit", args=[cluster_id]) + base, follow=True
    )
    assert refused.status_code == 200
    assert Dossier.objects.get(pk=proposal.pk).status == "draft"
    assert "Chưa đủ điều kiện" in refused.content.decode()


def test_role_models_are_flagged_and_moved_on_from_the_campaign_page(client, seeded):
    campaign, _cluster = seeded
    client.force_login(f.user("tan-doan.thutruong"))
    url = reverse("campaigns:role_model", args=[campaign.pk])
    org = f.user("tan-doan.thutruong").memberships.get().organisation
    missing = client.post(
        url, {"organisation": org.pk, "kind": "individual", "name": "Lý Văn Hùng"}
    )
    assert missing.status_code == 200
    assert "Thành tích nổi bật" in missing.content.decode()
    client.post(
        url,
        {
            "organisation": org.pk,
            "kind": "individual",
            "name": "Lý Văn Hùng",
            "achievement": "Dẫn đầu mô hình trồng hồi hữu cơ.",
        },
    )
    found = RoleModel.objects.get(name="Lý Văn Hùng")
    advance = reverse("campaigns:role_model_advance", args=[found.pk])
    assert client.post(advance, {"stage": "followed"}).status_code == 404  # not the secretariat

    client.force_login(f.user("lang-son.vanphong"))
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Chuyển sang “Bồi dưỡng, theo dõi”" in page
    client.post(advance, {"stage": "followed"})
    client.post(advance, {"stage": "discovered"})  # backwards: refused with a message
    assert RoleModel.objects.get(pk=found.pk).stage == "followed"


def test_a_cluster_is_set_up_in_the_admin_through_the_service(client, demo, django_user_model):
    """The province administrator (given the model rights the lead adds to ADMIN_MODELS) adds
    a cluster: its node in the tree and the audit row come from create_cluster. The platform
    operator is told he administers no province, and nothing is written."""
    admin_user = f.user("lang-son.quantri")
    admin_user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="campaigns",
            codename__in=["add_cluster", "view_cluster", "change_cluster"],
        )
    )
    data = {"name": "Khối các sở", "kind": "block", "organiser": demo["lang-son"].pk, "code": ""}
    operator = django_user_model.objects.create_superuser("nen-tang", password="x" * 20)
    client.force_login(operator)
    refused = client.post("/quan-tri/campaigns/cluster/add/", data | {"code": "khoi-cac-so"})
    assert refused.status_code == 200
    assert "bạn không quản trị Tỉnh Lạng Sơn" in refused.content.decode()

    client.force_login(f.user("lang-son.quantri"))
    no_code = client.post("/quan-tri/campaigns/cluster/add/", data)
    assert "Mã: bắt buộc nhập." in no_code.content.decode()
    assert not Cluster.objects.exists()
    done = client.post("/quan-tri/campaigns/cluster/add/", data | {"code": "khoi-cac-so"})
    assert done.status_code == 302
    cluster = Cluster.objects.get()
    assert cluster.body.code == "khoi-cac-so"
    assert cluster.body.path.startswith(demo["lang-son"].path)
    assert cluster.body.depth == demo["lang-son"].depth + 1
    assert AuditEvent.objects.filter(action="cluster_created", actor=admin_user).exists()


def test_the_launching_document_downloads_and_a_missing_file_is_a_404(client, seeded):
    campaign, _cluster = seeded
    client.force_login(f.user("so-gddt.thiduakhenthuong"))
    url = reverse("campaigns:document", args=[campaign.pk])
    assert client.get(url).status_code == 404  # no file yet

    campaign.document_file.save("ke-hoach-15.pdf", ContentFile(b"%PDF-1.4 ke hoach"))
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 ke hoach"
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "Tải văn bản" in page

    campaign.document_file.storage.delete(campaign.document_file.name)
    assert client.get(url).status_code == 404
