"""A cluster of 7 demo organisations with its node, standing office, council of the members'
representatives and covenant, built through the services (campaigns, organisations,
councils), as an administrator and the cluster's office would."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from campaigns import services
from campaigns.catalogue import ensure_vote_award
from councils.models import Council, MemberRole
from councils.services import add_council_member
from dossiers.models import RuleSet
from organisations.roles import Role
from organisations.services import assign_role
from tests import factories as f

MEMBERS = ["hop-thanh", "xuat-le", "tan-doan", "trang-cac", "so-noi-vu", "so-gddt", "so-y-te"]
LEADER, DEPUTY = "hop-thanh", "xuat-le"
WOMEN = {
    "hop-thanh": "40",
    "xuat-le": "55",
    "tan-doan": "65",
    "trang-cac": "72",
    "so-noi-vu": "50",
    "so-gddt": "68",
    "so-y-te": "60",
}
YEAR = 2026


@pytest.fixture
def admin(demo):
    return f.user("lang-son.quantri")


@pytest.fixture
def cluster(demo, admin):
    """The cluster, its office user (proposer, unit head, secretariat on its node) and
    council: the head of each member, the leader's head chairing."""
    ensure_vote_award(RuleSet.objects.get(code="rs-2025"))
    made = services.create_cluster(
        organiser=demo["lang-son"], by=admin, name="Cụm thi đua số 1", code="cum-thi-dua-1"
    )
    office = get_user_model().objects.create_user(
        "cum-thi-dua-1.vanphong", first_name="Hạnh", last_name="Lương Thị"
    )
    for role in (Role.PROPOSER, Role.UNIT_HEAD, Role.SECRETARIAT):
        assign_role(office, organisation=made.body, role=role, by=admin)
    council = Council.objects.create(
        organisation=made.body, name="Hội nghị đại diện các thành viên Cụm thi đua số 1"
    )
    for code in MEMBERS:
        add_council_member(
            council.pk,
            by=admin,
            user=f.user(f"{code}.thutruong"),
            role=MemberRole.CHAIR if code == LEADER else MemberRole.MEMBER,
            starts_on=date(2026, 1, 1),
            home_organisation=demo[code],
            position=f"Đại diện {demo[code].name}",
        )
    return made


@pytest.fixture
def office(cluster):
    return f.user("cum-thi-dua-1.vanphong")


@pytest.fixture
def cluster_year(demo, cluster, office):
    return services.open_cluster_year(
        cluster.pk,
        by=office,
        year=YEAR,
        members=[demo[c] for c in MEMBERS],
        leader=demo[LEADER],
        deputy=demo[DEPUTY],
        women_shares={demo[c].pk: Decimal(WOMEN[c]) for c in MEMBERS},
    )


CRITERIA = [
    {
        "name": "Thực hiện chỉ tiêu kinh tế – xã hội",
        "weight": "50",
        "max_score": "50",
        "evidence_required": "báo cáo thống kê có xác nhận",
    },
    {"name": "Cải cách hành chính, chuyển đổi số", "weight": "30", "max_score": "30"},
    {"name": "Công tác thi đua, khen thưởng", "weight": "20", "max_score": "10"},
]


@pytest.fixture
def covenant(cluster_year, office):
    return services.sign_covenant(
        cluster_year.pk, by=office, signed_on=date(2026, 2, 20), criteria=CRITERIA
    )
