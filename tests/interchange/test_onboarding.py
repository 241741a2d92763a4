"""Onboarding a commune from .xlsx: organisations and users, all or nothing, the grants
through organisations.services (checked and audited)."""

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from openpyxl import Workbook

from audit.models import AuditEvent
from core.errors import TransitionRefused
from interchange import onboarding_import, services
from organisations.models import Membership, Organisation
from organisations.permissions import holds
from organisations.roles import Perm
from tests import factories as f

pytestmark = pytest.mark.django_db

ORG_HEADERS = [h for h, _n in onboarding_import.ORG_COLUMNS]
USER_HEADERS = [h for h, _n in onboarding_import.USER_COLUMNS]


def workbook(orgs: list[list], users: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = onboarding_import.ORG_SHEET
    sheet.append(ORG_HEADERS)
    for values in orgs:
        sheet.append(values)
    people = book.create_sheet(onboarding_import.USER_SHEET)
    people.append(USER_HEADERS)
    for values in users:
        people.append(values)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


ORGS = [
    [
        "xa-na-duong",
        "Xã Na Dương",
        "Xã, phường, đặc khu",
        "",
        "lang-son",
        "01/07/2025",
        "Có",
        "Na Dương",
    ],
    [
        "th-na-duong",
        "Trường Tiểu học Na Dương",
        "Cơ quan, đơn vị cơ sở",
        "Trường học",
        "xa-na-duong",
        "",
        "Không",
        "",
    ],
]
USERS = [
    [
        "na-duong.vanphong",
        "Hoàng Thị",
        "Lan",
        "lan@example.vn",
        "xa-na-duong",
        "Cơ quan thường trực (Phòng/Ban Thi đua – Khen thưởng)",
        "Chuyên viên",
    ],
    [
        "th-na-duong.thutruong",
        "Nông Văn",
        "Minh",
        "",
        "th-na-duong",
        "Thủ trưởng đơn vị",
        "Hiệu trưởng",
    ],
]


def test_a_commune_is_onboarded_after_a_dry_run_and_every_grant_is_audited(demo):
    admin = f.user("lang-son.quantri")
    data = workbook(ORGS, USERS)
    trial = services.onboard_from_xlsx(data, by=admin, dry_run=True)
    assert trial.errors == []
    assert [o["code"] for o in trial.organisations] == ["xa-na-duong", "th-na-duong"]
    assert not Organisation.objects.filter(code="xa-na-duong").exists()
    assert not get_user_model().objects.filter(username="na-duong.vanphong").exists()

    done = services.onboard_from_xlsx(data, by=admin, dry_run=False)
    assert done.errors == []
    assert (done.created_organisations, done.granted) == (2, 2)
    commune = Organisation.objects.get(code="xa-na-duong")
    school = Organisation.objects.get(code="th-na-duong")
    assert Organisation.objects.get_parent(school) == commune
    assert Organisation.objects.get_parent(commune).code == "lang-son"
    clerk = get_user_model().objects.get(username="na-duong.vanphong")
    assert not clerk.has_usable_password()
    assert holds(clerk, commune, Perm.RECEIVE_DOSSIER)
    granted = AuditEvent.objects.filter(action="role_granted", actor=admin)
    assert granted.count() == 2
    assert AuditEvent.objects.filter(action="organisation_created", actor=admin).count() == 2


def test_any_bad_row_imports_nothing_and_each_is_named(demo):
    admin = f.user("lang-son.quantri")
    orgs = [ORGS[0], ["th-x", "Trường X", "Cơ quan, đơn vị cơ sở", "", "khong-co", "", "", ""]]
    users = [
        USERS[0],
        ["lang-son.quantri", "Tự", "Cấp", "", "xa-na-duong", "Quản trị hệ thống", ""],
        ["ai-do", "", "Bình", "", "xa-na-duong", "Thủ quỹ", ""],
    ]
    before = (Organisation.objects.count(), Membership.objects.count())
    outcome = services.onboard_from_xlsx(workbook(orgs, users), by=admin, dry_run=False)
    texts = [str(e) for e in outcome.errors]
    assert texts == [
        "Trang “Đơn vị”, dòng 3, cột Mã đơn vị cấp trên: không có đơn vị nào mã “khong-co” "
        "(trong hệ thống hoặc ở dòng trên).",
        "Trang “Người dùng”, dòng 3, cột Mã đơn vị: Người dùng: bạn không thể tự cấp, thu hồi "
        "hoặc thay đổi quyền của chính mình; một quản trị viên khác phải thực hiện.",
        "Trang “Người dùng”, dòng 4, cột Vai trò: không phải một vai trò trong hệ thống.",
    ]
    assert (Organisation.objects.count(), Membership.objects.count()) == before


def test_the_administrator_cannot_grant_himself_from_a_file(demo):
    admin = f.user("lang-son.quantri")
    users = [["lang-son.quantri", "Tự", "Cấp", "", "hop-thanh", "Thủ trưởng đơn vị", ""]]
    outcome = services.onboard_from_xlsx(workbook([], users), by=admin, dry_run=False)
    assert [e.column for e in outcome.errors] == ["organisation_code"]
    assert "chính mình" in str(outcome.errors[0])
    assert not Membership.objects.filter(user=admin, organisation__code="hop-thanh").exists()


def test_only_an_administrator_onboards(demo):
    with pytest.raises(TransitionRefused):
        services.onboard_from_xlsx(
            workbook(ORGS, []), by=f.user("hop-thanh.vanphong"), dry_run=True
        )
