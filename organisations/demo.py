"""Demo province for a first run: Lạng Sơn, before and after the 01/07/2025 reform.

Idempotent: organisations are found by code and users by username, so a second run
changes nothing.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import Level, Organisation, UnitKind
from .roles import Role
from .services import assign_role

DEMO_PASSWORD = "khenthuong-demo-2026"  # noqa: S105 (published demo log-in)
DISSOLVED = date(2025, 6, 30)

# code, name, level, kind, parent code, valid_to, has_council
TREE = [
    ("lang-son", "Tỉnh Lạng Sơn", Level.PROVINCE, UnitKind.GOVERNMENT, None, None, True),
    ("cao-loc", "Huyện Cao Lộc", Level.DISTRICT, UnitKind.GOVERNMENT, "lang-son", DISSOLVED, True),
    (
        "van-quan",
        "Huyện Văn Quan",
        Level.DISTRICT,
        UnitKind.GOVERNMENT,
        "lang-son",
        DISSOLVED,
        True,
    ),
    ("hop-thanh", "Xã Hợp Thành", Level.COMMUNE, UnitKind.GOVERNMENT, "cao-loc", None, True),
    ("xuat-le", "Xã Xuất Lễ", Level.COMMUNE, UnitKind.GOVERNMENT, "cao-loc", None, True),
    ("tan-doan", "Xã Tân Đoàn", Level.COMMUNE, UnitKind.GOVERNMENT, "van-quan", None, True),
    ("trang-cac", "Xã Tràng Các", Level.COMMUNE, UnitKind.GOVERNMENT, "van-quan", None, True),
    (
        "so-noi-vu",
        "Sở Nội vụ tỉnh Lạng Sơn",
        Level.DEPARTMENT,
        UnitKind.GOVERNMENT,
        "lang-son",
        None,
        True,
    ),
    (
        "so-gddt",
        "Sở Giáo dục và Đào tạo tỉnh Lạng Sơn",
        Level.DEPARTMENT,
        UnitKind.GOVERNMENT,
        "lang-son",
        None,
        True,
    ),
    (
        "so-y-te",
        "Sở Y tế tỉnh Lạng Sơn",
        Level.DEPARTMENT,
        UnitKind.GOVERNMENT,
        "lang-son",
        None,
        True,
    ),
    (
        "th-hop-thanh",
        "Trường Tiểu học Hợp Thành",
        Level.UNIT,
        UnitKind.SCHOOL,
        "hop-thanh",
        None,
        True,
    ),
    ("mn-xuat-le", "Trường Mầm non Xuất Lễ", Level.UNIT, UnitKind.SCHOOL, "xuat-le", None, True),
    ("tyt-xuat-le", "Trạm Y tế xã Xuất Lễ", Level.UNIT, UnitKind.HOSPITAL, "xuat-le", None, True),
    (
        "thcs-tan-doan",
        "Trường Trung học cơ sở Tân Đoàn",
        Level.UNIT,
        UnitKind.SCHOOL,
        "tan-doan",
        None,
        True,
    ),
    (
        "htx-trang-cac",
        "Hợp tác xã Nông nghiệp Tràng Các",
        Level.UNIT,
        UnitKind.ENTERPRISE,
        "trang-cac",
        None,
        True,
    ),
    (
        "thpt-chu-van-an",
        "Trường Trung học phổ thông Chuyên Chu Văn An",
        Level.UNIT,
        UnitKind.SCHOOL,
        "so-gddt",
        None,
        True,
    ),
    (
        "bvdk-tinh",
        "Bệnh viện Đa khoa tỉnh Lạng Sơn",
        Level.UNIT,
        UnitKind.HOSPITAL,
        "so-y-te",
        None,
        True,
    ),
    (
        "cty-che-lang-son",
        "Công ty Cổ phần Chè Lạng Sơn",
        Level.UNIT,
        UnitKind.ENTERPRISE,
        "lang-son",
        None,
        True,
    ),
]

# Roles per kind of organisation; names below are invented, written as Vietnamese names are.
ROLES_BY_LEVEL = {
    Level.PROVINCE: [
        Role.SECRETARIAT,
        Role.COUNCIL_CHAIR,
        Role.COUNCIL_MEMBER,
        Role.SIGNING_AUTHORITY,
        Role.ADMINISTRATOR,
    ],
    Level.DISTRICT: [
        Role.SECRETARIAT,
        Role.COUNCIL_CHAIR,
        Role.COUNCIL_MEMBER,
        Role.SIGNING_AUTHORITY,
    ],
    Level.COMMUNE: [
        Role.PROPOSER,
        Role.UNIT_HEAD,
        Role.SECRETARIAT,
        Role.COUNCIL_CHAIR,
        Role.COUNCIL_MEMBER,
        Role.SIGNING_AUTHORITY,
    ],
    Level.DEPARTMENT: [
        Role.PROPOSER,
        Role.UNIT_HEAD,
        Role.SECRETARIAT,
        Role.COUNCIL_CHAIR,
        Role.COUNCIL_MEMBER,
        Role.SIGNING_AUTHORITY,
    ],
    Level.UNIT: [Role.PROPOSER, Role.UNIT_HEAD, Role.COUNCIL_MEMBER],
}
ROLE_SLUG = {
    Role.PROPOSER: "thiduakhenthuong",
    Role.UNIT_HEAD: "thutruong",
    Role.SECRETARIAT: "vanphong",
    Role.COUNCIL_MEMBER: "uyvien",
    Role.COUNCIL_CHAIR: "chutichhd",
    Role.SIGNING_AUTHORITY: "lanhdao",
    Role.ADMINISTRATOR: "quantri",
}
ROLE_TITLE = {
    Role.PROPOSER: "Cán bộ phụ trách thi đua, khen thưởng",
    Role.UNIT_HEAD: "Thủ trưởng đơn vị",
    Role.SECRETARIAT: "Chuyên viên thi đua, khen thưởng",
    Role.COUNCIL_MEMBER: "Ủy viên Hội đồng",
    Role.COUNCIL_CHAIR: "Chủ tịch Hội đồng",
    Role.SIGNING_AUTHORITY: "Phó Chủ tịch",
    Role.ADMINISTRATOR: "Quản trị hệ thống",
}
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Nông",
    "Lương",
    "Hà",
    "Vi",
    "Lăng",
    "Chu",
    "Triệu",
]
# Middle and given names by gender, so that nobody is "Nguyễn Thị Hùng".
MIDDLE = {
    "male": ["Văn", "Đức", "Minh", "Hữu", "Quang", "Xuân", "Công", "Thanh"],
    "female": ["Thị", "Thu", "Ngọc", "Thị Hồng", "Thanh", "Minh", "Thị Kim", "Diệu"],
}
GIVEN = {
    "male": [
        "An", "Bình", "Cường", "Hùng", "Khánh", "Nam", "Quân", "Sơn",
        "Tuấn", "Việt", "Đạt", "Lộc", "Thắng", "Bảo", "Chiến",
    ],
    "female": [
        "Dung", "Giang", "Hà", "Hạnh", "Lan", "Linh", "Mai", "Nga",
        "Phương", "Thảo", "Yến", "Hiền", "Nhung", "Xuân", "Châu",
    ],
}  # fmt: skip
# Full names per gender; demo_name() gives a different one to each index below twice this.
NAMES_PER_GENDER = len(FAMILY) * len(MIDDLE["male"]) * len(GIVEN["male"])
# Coprime with NAMES_PER_GENDER: index -> name is a permutation, and neighbours differ in
# family, middle and given name alike (a plain counter would give twenty "… Văn An" in a row).
STRIDE = 1009


def demo_name(index: int) -> tuple[str, str]:
    """(family and middle names, given name) of the index-th demo person; no two indexes below
    2 × NAMES_PER_GENDER (4 800) share a full name. Even indexes are men, odd ones women."""
    if not 0 <= index < 2 * NAMES_PER_GENDER:
        raise ValueError(f"demo_name: index {index} outside 0..{2 * NAMES_PER_GENDER - 1}")
    gender = "male" if index % 2 == 0 else "female"
    # Women start elsewhere in the permutation, so a man and the woman after him differ too.
    k = (index // 2 * STRIDE + (0 if gender == "male" else 1201)) % NAMES_PER_GENDER
    k, family = divmod(k, len(FAMILY))
    k, given = divmod(k, len(GIVEN[gender]))
    middle = k % len(MIDDLE[gender])
    return f"{FAMILY[family]} {MIDDLE[gender][middle]}", GIVEN[gender][given]


@transaction.atomic
def seed_organisations() -> list[tuple[str, str, str]]:
    """Create the demo tree and one user per role and organisation; return the log-ins."""
    orgs: dict[str, Organisation] = {
        o.code: o for o in Organisation.objects.filter(code__in=[t[0] for t in TREE])
    }
    for code, name, level, kind, parent, valid_to, has_council in TREE:
        if code in orgs:
            continue
        fields = {
            "code": code,
            "name": name,
            "level": level,
            "kind": kind,
            "valid_to": valid_to,
            "has_council": has_council,
            # The province's place only: a commune's place line is its own name
            # (decisions.profiles.place_for), never the province's.
            "place_name": "Lạng Sơn" if parent is None else "",
        }
        if parent is None:
            orgs[code] = Organisation.objects.add_root(fields)
        else:
            orgs[code] = Organisation.objects.add_child(
                Organisation.objects.get(pk=orgs[parent].pk), fields
            )
    user_model = get_user_model()
    logins = []
    index = 0
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    for code, _name, level, *_ in TREE:
        org = orgs[code]
        for role in ROLES_BY_LEVEL[level]:
            username = f"{code}.{ROLE_SLUG[role]}"
            last, first = demo_name(index)
            index += 1
            user, _ = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "password": password_hash,
                    "email": f"{username}@demo.khenthuong.vn",
                },
            )
            assign_role(user, organisation=org, role=role, title=ROLE_TITLE[role])
            logins.append((username, f"{last} {first}", f"{ROLE_TITLE[role]} – {org.name}"))
    return logins
