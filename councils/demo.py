"""Demo councils for the demo province, built from the users who hold council roles.

Idempotent: councils are found by organisation, extra members by username, terms by
(council, user, start). The provincial council gets extra members so that it has the size
the law expects (about 20); commune and district councils get five voting members.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from organisations.demo import DEMO_PASSWORD, demo_name
from organisations.models import Level, Membership, Organisation
from organisations.roles import Role

from .models import Council, CouncilMember, MemberRole

TERM_START = date(2025, 1, 1)
# Extra members by level: (vice-chairs, members)
EXTRAS = {
    Level.PROVINCE: (3, 11),
    Level.DEPARTMENT: (1, 2),
    Level.DISTRICT: (1, 2),
    Level.COMMUNE: (1, 2),
}
EXTRA_TITLES = {
    Level.PROVINCE: [
        "Giám đốc Sở Nội vụ",
        "Giám đốc Sở Tài chính",
        "Giám đốc Sở Giáo dục và Đào tạo",
        "Giám đốc Sở Y tế",
        "Giám đốc Sở Nông nghiệp và Môi trường",
        "Giám đốc Sở Xây dựng",
        "Giám đốc Sở Công Thương",
        "Giám đốc Sở Tư pháp",
        "Giám đốc Sở Văn hóa, Thể thao và Du lịch",
        "Giám đốc Sở Khoa học và Công nghệ",
        "Chánh Văn phòng Ủy ban nhân dân tỉnh",
        "Chủ tịch Ủy ban Mặt trận Tổ quốc tỉnh",
        "Chủ tịch Liên đoàn Lao động tỉnh",
        "Trưởng ban Thi đua – Khen thưởng, Sở Nội vụ",
    ],
}
DEFAULT_TITLE = "Cán bộ, công chức"
# Offset of demo_name() for extra members, past the role users of organisations.demo.
NAME_OFFSET = 500


def _users_with(org: Organisation, role: str) -> list:
    return [
        m.user
        for m in Membership.objects.filter(organisation=org, role=role).select_related("user")
    ]


def _term(council: Council, user, role: str, *, position: str, home: Organisation) -> None:
    CouncilMember.objects.get_or_create(
        council=council,
        user=user,
        starts_on=TERM_START,
        defaults={"role": role, "position": position, "home_organisation": home},
    )


@transaction.atomic
def seed_councils() -> list[Council]:
    """One council per demo organisation that has council roles; returns them."""
    user_model = get_user_model()
    password_hash = None
    councils = []
    index = NAME_OFFSET
    for org in Organisation.objects.filter(has_council=True):
        chairs = _users_with(org, Role.COUNCIL_CHAIR)
        members = _users_with(org, Role.COUNCIL_MEMBER)
        if not chairs and not members:
            continue
        council, _ = Council.objects.get_or_create(
            organisation=org, defaults={"name": f"Hội đồng Thi đua – Khen thưởng {org.name}"}
        )
        councils.append(council)
        for user in chairs:
            _term(council, user, MemberRole.CHAIR, position="Chủ tịch Hội đồng", home=org)
        for user in members:
            _term(council, user, MemberRole.MEMBER, position="Ủy viên Hội đồng", home=org)
        for user in _users_with(org, Role.SECRETARIAT):
            _term(council, user, MemberRole.SECRETARY, position="Thư ký Hội đồng", home=org)
        vice, plain = EXTRAS.get(org.level, (0, 0))
        titles = EXTRA_TITLES.get(org.level, [])
        for n in range(vice + plain):
            username = f"{org.code}.hoidong{n + 1:02d}"
            last, first = demo_name(index)
            index += 1
            user = user_model.objects.filter(username=username).first()
            if user is None:
                password_hash = password_hash or make_password(DEMO_PASSWORD)
                user = user_model.objects.create(
                    username=username,
                    first_name=first,
                    last_name=last,
                    password=password_hash,
                    email=f"{username}@demo.khenthuong.vn",
                )
            _term(
                council,
                user,
                MemberRole.VICE_CHAIR if n < vice else MemberRole.MEMBER,
                position=titles[n] if n < len(titles) else DEFAULT_TITLE,
                home=org,
            )
    return councils


def council_logins() -> list[tuple[str, str, str]]:
    """(username, full name, seat) of the extra council members seed_councils() made, the
    provincial council first: seed_demo prints them beside the role log-ins, since a meeting
    reaches its quorum only when they vote too."""
    members = (
        CouncilMember.objects.filter(user__username__contains=".hoidong")
        .select_related("user", "council__organisation")
        .order_by("council__organisation__depth", "council__organisation__path", "user__username")
    )
    return [
        (
            m.user.username,
            f"{m.user.last_name} {m.user.first_name}",
            f"{m.position} – {m.council.name}",
        )
        for m in members
    ]
