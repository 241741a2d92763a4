"""Demo campaign and cluster for the demo province (issue 16), built through the services.

- A 2026 campaign of the province with its launching document, phases, three targets, the
  commitments and results of two organisations (Xã Hợp Thành, Sở Y tế), a draft dossier
  and two role models.
- "Cụm thi đua số 1": 7 members (four communes, three departments), leaders rotating
  2025 → 2026, the 2026 covenant, every member's self-assessment and the cluster's review
  (two ties, each resolved by the covenant's rule), the representatives' vote and the
  draft dossier proposing the winner for the provincial Cờ thi đua.

Idempotent: the campaign is found by name, the cluster by its node's code; a second run
changes nothing. Returns the log-ins it adds (the cluster's standing office).
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from councils import services as councils
from councils.models import Council, CouncilMember, MemberRole
from councils.services import add_council_member
from dossiers.models import AwardType, Campaign, CampaignKind
from dossiers.services import create_dossier
from organisations.demo import DEMO_PASSWORD
from organisations.models import Organisation
from organisations.roles import Role
from organisations.services import assign_role
from workflow.rulesets import rule_set_on

from . import services
from .catalogue import ensure_vote_award
from .models import ClusterYear, PhaseKind, RoleModelStage, ScoreRound

CAMPAIGN_NAME = "Phong trào thi đua “Lạng Sơn chung sức xây dựng nông thôn mới” năm 2026"
CLUSTER_CODE = "cum-thi-dua-so-1"
OFFICE = f"{CLUSTER_CODE}.vanphong"
MEMBERS = ["hop-thanh", "xuat-le", "tan-doan", "trang-cac", "so-noi-vu", "so-gddt", "so-y-te"]
WOMEN = {
    "hop-thanh": "40",
    "xuat-le": "55",
    "tan-doan": "65",
    "trang-cac": "72",
    "so-noi-vu": "50",
    "so-gddt": "68",
    "so-y-te": "60",
}
CRITERIA = [
    {
        "name": "Thực hiện các chỉ tiêu kinh tế – xã hội được giao",
        "weight": "50",
        "max_score": "50",
        "evidence_required": "báo cáo thống kê có xác nhận của cơ quan thống kê",
    },
    {
        "name": "Cải cách hành chính, chuyển đổi số",
        "weight": "30",
        "max_score": "30",
        "evidence_required": "kết quả chỉ số cải cách hành chính năm",
    },
    {"name": "Công tác thi đua, khen thưởng", "weight": "20", "max_score": "10"},
]
REVIEW = {
    "so-y-te": (45, 25, 10),
    "tan-doan": (40, 30, 10),
    "trang-cac": (40, 25, 9),
    "so-gddt": (40, 25, 9),
    "hop-thanh": (38, 22, 8),
    "xuat-le": (35, 20, 7),
    "so-noi-vu": (30, 20, 6),
}
# Agree votes of the 7 representatives for the three candidates.
VOTES = {"so-y-te": 6, "tan-doan": 5, "trang-cac": 3}


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _orgs() -> dict[str, Organisation]:
    return {o.code: o for o in Organisation.objects.all()}


def seed_campaign(orgs: dict[str, Organisation]) -> Campaign:
    existing = Campaign.objects.filter(name=CAMPAIGN_NAME, organisation=orgs["lang-son"]).first()
    if existing:
        return existing
    secretariat = _user("lang-son.vanphong")
    rule_set = rule_set_on(date(2026, 1, 1))
    forms = list(
        AwardType.objects.filter(
            rule_set=rule_set, code__in=["co-thi-dua-tinh", "bang-khen-tinh", "ttldxs"]
        )
    )
    campaign = services.launch_campaign(
        organisation=orgs["lang-son"],
        by=secretariat,
        name=CAMPAIGN_NAME,
        kind=CampaignKind.YEARLY,
        theme="Chung sức xây dựng nông thôn mới, đô thị văn minh; không để ai bị bỏ lại phía sau",
        starts_on=date(2026, 1, 15),
        ends_on=date(2026, 12, 31),
        document_number="15/KH-UBND",
        document_date=date(2026, 1, 12),
        document_signer="Chủ tịch Ủy ban nhân dân tỉnh",
        award_types=forms,
    )
    for kind, start, end in (
        (PhaseKind.LAUNCH, date(2026, 1, 15), date(2026, 1, 31)),
        (PhaseKind.REGISTRATION, date(2026, 1, 15), date(2026, 12, 31)),
        (PhaseKind.INTERIM_REVIEW, date(2026, 6, 15), date(2026, 7, 15)),
        (PhaseKind.FINAL_REVIEW, date(2026, 12, 1), date(2027, 1, 20)),
    ):
        services.set_phase(campaign.pk, by=secretariat, kind=kind, starts_on=start, ends_on=end)
    growth = services.add_target(
        campaign.pk, by=secretariat, name="Tốc độ tăng trưởng kinh tế", unit="%", target_value=8
    )
    communes = services.add_target(
        campaign.pk,
        by=secretariat,
        name="Xã đạt chuẩn nông thôn mới nâng cao",
        unit="xã",
        target_value=2,
    )
    poverty = services.add_target(
        campaign.pk,
        by=secretariat,
        name="Tỷ lệ hộ nghèo",
        unit="%",
        target_value="3.5",
        higher_is_better=False,
    )
    commune_officer = _user("hop-thanh.thiduakhenthuong")
    health_officer = _user("so-y-te.thiduakhenthuong")
    on = date(2026, 2, 10)
    services.register_commitment(
        campaign.pk,
        by=commune_officer,
        organisation=orgs["hop-thanh"],
        text="Tăng trưởng 8,5 %; giảm tỷ lệ hộ nghèo xuống dưới 3,5 %; 2 thôn kiểu mẫu.",
        on=on,
    )
    services.register_commitment(
        campaign.pk,
        by=health_officer,
        organisation=orgs["so-y-te"],
        text="100 % trạm y tế xã đạt Bộ tiêu chí quốc gia; hỗ trợ 2 xã về tiêu chí y tế.",
        on=on,
    )
    for target, org, officer, value in (
        (growth, "hop-thanh", commune_officer, "8.6"),
        (poverty, "hop-thanh", commune_officer, "4.1"),
        (communes, "hop-thanh", commune_officer, "1"),
        (growth, "so-y-te", health_officer, "7.2"),
        (communes, "so-y-te", health_officer, "2"),
    ):
        services.report_result(target.pk, by=officer, organisation=orgs[org], achieved_value=value)
    create_dossier(
        proposer=orgs["hop-thanh"],
        award_type=next(a for a in forms if a.code == "bang-khen-tinh"),
        by=commune_officer,
        year=2026,
        title="Đề nghị tặng Bằng khen cho tập thể, cá nhân tiêu biểu trong phong trào xây "
        "dựng nông thôn mới năm 2026",
        campaign=campaign,
    )
    mai = services.flag_role_model(
        campaign.pk,
        by=commune_officer,
        organisation=orgs["hop-thanh"],
        kind="individual",
        name="Hoàng Thị Mai",
        achievement="Hiến 500 m² đất và vận động 12 hộ cùng làm đường liên thôn.",
    )
    services.advance_role_model(mai.pk, by=secretariat, stage=RoleModelStage.FOLLOWED)
    services.flag_role_model(
        campaign.pk,
        by=health_officer,
        organisation=orgs["so-y-te"],
        kind="collective",
        name="Trạm Y tế xã Xuất Lễ",
        achievement="Đạt Bộ tiêu chí quốc gia về y tế xã sớm nhất tỉnh; khám sàng lọc 3 200 "
        "người cao tuổi.",
    )
    return campaign


def _office_user(cluster, admin) -> tuple[str, str, str]:
    user_model = get_user_model()
    user = user_model.objects.filter(username=OFFICE).first()
    if user is None:
        user = user_model.objects.create(
            username=OFFICE,
            first_name="Hạnh",
            last_name="Lương Thị",
            email=f"{OFFICE}@demo.khenthuong.vn",
            password=make_password(DEMO_PASSWORD),
        )
    for role in (Role.PROPOSER, Role.UNIT_HEAD, Role.SECRETARIAT):
        assign_role(
            user, organisation=cluster.body, role=role, by=admin, title="Văn phòng thường trực cụm"
        )
    return (OFFICE, "Lương Thị Hạnh", "Văn phòng thường trực Cụm thi đua số 1")


def seed_cluster(orgs: dict[str, Organisation], campaign: Campaign | None = None) -> list:
    from_tree = Organisation.objects.filter(code=CLUSTER_CODE).first()
    if from_tree is not None:
        return [(OFFICE, "Lương Thị Hạnh", "Văn phòng thường trực Cụm thi đua số 1")]
    admin = _user("lang-son.quantri")
    ensure_vote_award(rule_set_on(timezone.localdate()))
    cluster = services.create_cluster(
        organiser=orgs["lang-son"],
        by=admin,
        name="Cụm thi đua số 1 (các xã, sở khu vực trung tâm)",
        code=CLUSTER_CODE,
    )
    login = _office_user(cluster, admin)
    office = _user(OFFICE)
    council = Council.objects.create(
        organisation=cluster.body, name="Hội nghị đại diện các thành viên Cụm thi đua số 1"
    )
    leader_2026, deputy_2026 = orgs["hop-thanh"], orgs["xuat-le"]
    for code in MEMBERS:
        if not CouncilMember.objects.filter(
            council=council, user__username=f"{code}.thutruong"
        ).exists():
            add_council_member(
                council.pk,
                by=admin,
                user=_user(f"{code}.thutruong"),
                role=MemberRole.CHAIR if code == leader_2026.code else MemberRole.MEMBER,
                starts_on=date(2025, 1, 1),
                home_organisation=orgs[code],
                position=f"Đại diện {orgs[code].name}",
            )
    members = [orgs[c] for c in MEMBERS]
    shares = {orgs[c].pk: Decimal(WOMEN[c]) for c in MEMBERS}
    services.open_cluster_year(
        cluster.pk,
        by=office,
        year=2025,
        members=members,
        leader=orgs["so-y-te"],
        deputy=orgs["hop-thanh"],
        women_shares=shares,
    )
    year = services.open_cluster_year(
        cluster.pk,
        by=office,
        year=2026,
        members=members,
        leader=leader_2026,
        deputy=deputy_2026,
        women_shares=shares,
    )
    covenant = services.sign_covenant(
        year.pk,
        by=office,
        signed_on=date(2026, 2, 20),
        place="Ủy ban nhân dân xã Hợp Thành",
        criteria=CRITERIA,
    )
    criteria = list(covenant.criteria.order_by("position"))
    for member in year.members.select_related("organisation"):
        code = member.organisation.code
        officer = _user(f"{code}.thiduakhenthuong")
        own = {
            c.pk: (
                min(Decimal(v) + 1, c.max_score),
                f"Báo cáo số 45/BC-UBND ngày 05/12/2026 ({code})",
            )
            for c, v in zip(criteria, REVIEW[code], strict=True)
        }
        services.record_scores(member.pk, by=officer, round=ScoreRound.SELF, scores=own)
        reviewed = {
            c.pk: (v, "Đối chiếu báo cáo và minh chứng tại hội nghị tổng kết cụm")
            for c, v in zip(criteria, REVIEW[code], strict=True)
        }
        services.record_scores(member.pk, by=office, round=ScoreRound.REVIEW, scores=reviewed)
    _vote(year, office, orgs, campaign)
    return [login]


def _vote(year: ClusterYear, office, orgs, campaign) -> None:
    when = timezone.make_aware(datetime.combine(timezone.localdate(), time(8, 0)))
    meeting = services.prepare_cluster_vote(
        year.pk, by=office, scheduled_for=when, candidates=3, place="Hội trường xã Hợp Thành"
    )
    councils.record_attendance(meeting.pk, by=office, absent={})
    councils.open_meeting(meeting.pk, by=office)
    row = ClusterYear.objects.get(pk=year.pk)
    nominees = {n.identity_code: n for n in row.vote_dossier.active_nominees()}
    for index, code in enumerate(MEMBERS):
        voter = _user(f"{code}.thutruong")
        for candidate, yes in VOTES.items():
            councils.cast_ballot(
                meeting.pk,
                by=voter,
                nominee_id=nominees[candidate].pk,
                choice="agree" if index < yes else "disagree",
            )
    councils.close_meeting(meeting.pk, by=office, note="Suy tôn đơn vị dẫn đầu cụm năm 2026.")
    flag = AwardType.objects.get(rule_set=rule_set_on(timezone.localdate()), code="co-thi-dua-tinh")
    services.propose_vote_winner(row.pk, by=office, award_type=flag, campaign=campaign)


def seed_campaigns() -> list[tuple[str, str, str]]:
    """The demo campaign and cluster; returns the log-ins added (for seed_demo to print)."""
    orgs = _orgs()
    campaign = seed_campaign(orgs)
    return seed_cluster(orgs, campaign)
