"""Issue 12, users: an administrator manages the people under him through the audited
services, and nothing else."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditEvent
from organisations.models import Level, Membership, Organisation
from organisations.roles import Role
from organisations.services import assign_role
from tests import factories as f

pytestmark = pytest.mark.django_db
User = get_user_model()
LIST = reverse("admin:auth_user_changelist")


def change(user) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


@pytest.fixture
def other_province(demo):
    province = Organisation.objects.add_root(
        {"code": "cao-bang", "name": "Tỉnh Cao Bằng", "level": Level.PROVINCE}
    )
    stranger = User.objects.create_user("cao-bang.vanphong")
    assign_role(stranger, organisation=province, role=Role.SECRETARIAT)
    return stranger


@pytest.fixture
def province_admin(client, demo):
    client.force_login(f.user("lang-son.quantri"))
    return client


@pytest.fixture
def commune_admin(client, demo):
    admin = User.objects.create_user("hop-thanh.quantri")
    assign_role(admin, organisation=demo["hop-thanh"], role=Role.ADMINISTRATOR)
    client.force_login(admin)
    return client


def listed(client) -> set[str]:
    html = client.get(LIST + "?all=").content.decode()
    return set(re.findall(r'<th class="field-username"><a [^>]*>([^<]+)</a>', html))


def test_a_province_administrator_lists_his_provinces_users_only(province_admin, other_province):
    names = listed(province_admin)
    assert "th-hop-thanh.thiduakhenthuong" in names
    assert "hop-thanh.lanhdao" in names
    assert "cao-bang.vanphong" not in names
    assert "lang-son.quantri" not in names  # never himself


def test_a_commune_administrator_sees_below_him_not_the_province(commune_admin):
    names = listed(commune_admin)
    assert "th-hop-thanh.thiduakhenthuong" in names
    assert "lang-son.vanphong" not in names


def test_another_provinces_user_is_a_404(province_admin, other_province):
    assert province_admin.get(change(other_province)).status_code == 404
    response = province_admin.post(change(other_province), {"username": "x", "is_active": ""})
    assert response.status_code == 404
    other_province.refresh_from_db()
    assert other_province.is_active


def test_a_superuser_is_out_of_an_administrators_reach(province_admin):
    root = User.objects.create_superuser("nen-tang", password="x" * 20)
    assert province_admin.get(change(root)).status_code == 404


def test_the_forms_have_no_superuser_staff_group_or_permission_field(province_admin):
    for url in (
        reverse("admin:auth_user_add"),
        change(f.user("th-hop-thanh.thiduakhenthuong")),
    ):
        html = province_admin.get(url).content.decode()
        for name in ("is_superuser", "is_staff", "groups", "user_permissions", "password1"):
            assert f'name="{name}"' not in html, (url, name)


def test_creating_a_user_grants_his_role_through_the_audited_service(province_admin, demo):
    school = demo["th-hop-thanh"]
    response = province_admin.post(
        reverse("admin:auth_user_add"),
        {
            "username": "th-hop-thanh.gv-an",
            "last_name": "Nguyễn",
            "first_name": "An",
            "email": "an@example.vn",
            "organisation": school.pk,
            "role": Role.PROPOSER,
            "title": "Giáo viên",
            "reason": "Phân công phụ trách thi đua năm học 2026-2027",
        },
    )

    assert response.status_code == 302, response.context and response.context.get("errors")
    user = User.objects.get(username="th-hop-thanh.gv-an")
    assert not user.has_usable_password()
    assert not user.is_superuser
    assert not user.is_staff
    assert Membership.objects.filter(user=user, organisation=school, role=Role.PROPOSER).exists()
    grant = AuditEvent.objects.get(action="role_granted", data__user="th-hop-thanh.gv-an")
    assert grant.actor == f.user("lang-son.quantri")
    assert grant.reason == "Phân công phụ trách thi đua năm học 2026-2027"
    assert grant.data["organisation"] == "th-hop-thanh"
    created = AuditEvent.objects.get(action="user_created", object_id=str(user.pk))
    assert created.actor == f.user("lang-son.quantri")
    assert user.username in listed(province_admin)


def test_a_posted_superuser_flag_is_ignored(province_admin, demo):
    province_admin.post(
        reverse("admin:auth_user_add"),
        {
            "username": "len-quyen",
            "organisation": demo["th-hop-thanh"].pk,
            "role": Role.PROPOSER,
            "reason": "x",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    user = User.objects.get(username="len-quyen")
    assert not user.is_superuser
    assert not user.is_staff
    target = f.user("th-hop-thanh.thutruong")
    province_admin.post(
        change(target),
        {"username": target.username, "is_active": "on", "is_superuser": "on", "is_staff": "on"},
    )
    target.refresh_from_db()
    assert not target.is_superuser
    assert not target.is_staff


def test_creating_a_user_in_another_province_is_refused_and_writes_nothing(commune_admin, demo):
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = commune_admin.post(
        reverse("admin:auth_user_add"),
        {
            "username": "ngoai-pham-vi",
            "organisation": demo["lang-son"].pk,  # above the commune administrator
            "role": Role.SECRETARIAT,
            "reason": "x",
        },
    )
    assert response.status_code == 200
    assert "Cơ quan, đơn vị" in response.content.decode()
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_deactivating_a_user_is_audited(province_admin):
    target = f.user("th-hop-thanh.thutruong")
    data = {
        "username": target.username,
        "last_name": target.last_name,
        "first_name": target.first_name,
        "email": target.email,
    }  # is_active unchecked

    assert province_admin.post(change(target), data).status_code == 302

    target.refresh_from_db()
    assert not target.is_active
    event = AuditEvent.objects.get(action="user_deactivated", object_id=str(target.pk))
    assert event.actor == f.user("lang-son.quantri")


def test_an_administrator_cannot_delete_a_user(province_admin):
    target = f.user("th-hop-thanh.thutruong")
    delete = reverse("admin:auth_user_delete", args=[target.pk])
    assert province_admin.post(delete, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=target.pk).exists()


def test_a_password_link_lets_the_user_set_his_password_once(province_admin, client_factory):
    target = f.user("th-hop-thanh.thutruong")
    url = reverse("admin:auth_user_password_link", args=[target.pk])
    assert province_admin.get(url).status_code == 200

    page = province_admin.post(url).content.decode()
    link = re.search(r'value="(http://testserver/dat-mat-khau/[^"]+)"', page).group(1)
    assert AuditEvent.objects.filter(action="password_link_issued").count() == 1

    visitor = client_factory()
    form_page = visitor.get(link.removeprefix("http://testserver"), follow=True)
    assert form_page.status_code == 200
    posted = visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-rat-dai-2027", "new_password2": "Mat-khau-rat-dai-2027"},
    )
    assert posted.status_code == 302
    target.refresh_from_db()
    assert target.check_password("Mat-khau-rat-dai-2027")
    again = client_factory().get(link.removeprefix("http://testserver"), follow=True)
    assert 'name="new_password1"' not in again.content.decode()  # used: dead


def test_an_administrator_has_no_set_password_page(province_admin):
    target = f.user("th-hop-thanh.thutruong")
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    assert province_admin.get(url).status_code == 403


def test_the_operator_keeps_djangos_full_user_admin(as_operator, demo):
    html = as_operator.get(change(f.user("th-hop-thanh.thutruong"))).content.decode()
    assert 'name="is_superuser"' in html
