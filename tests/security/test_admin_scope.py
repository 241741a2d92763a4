"""Issue 15 ("trust"): administrators are scoped to their subtree; grants go through audited
services only. Each test names the probe finding it closes.

A second province, Cao Bằng (a commune and a school under it, with the demo's roles), sits
beside the demo province Lạng Sơn. Pages are fetched with force_login (the admin's own
sessions), as lang-son.quantri, cao-bang.quantri, a commune administrator and a superuser.
"""

import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from audit.models import AuditEvent
from core.errors import DomainError
from councils.demo import seed_councils
from councils.models import Council, CouncilMember, MemberRole
from councils.services import add_council_member, end_council_member
from organisations.demo import ROLE_SLUG, ROLES_BY_LEVEL
from organisations.models import (
    Level,
    Membership,
    Organisation,
    OrganisationUserObjectPermission,
    UnitKind,
)
from organisations.roles import Role
from organisations.services import assign_role, revoke_role
from tests import factories as f

pytestmark = pytest.mark.django_db

ADMIN = "/quan-tri"
TERM_START = "2026-01-01"


@pytest.fixture
def cao_bang(demo):
    """Tỉnh Cao Bằng > Xã Hòa An > Trường Tiểu học Hòa An, one user per demo role each."""
    province = Organisation.objects.add_root(
        {
            "code": "cao-bang",
            "name": "Tỉnh Cao Bằng",
            "level": Level.PROVINCE,
            "has_council": True,
            "place_name": "Cao Bằng",
        }
    )
    commune = Organisation.objects.add_child(
        Organisation.objects.get(pk=province.pk),
        {"code": "hoa-an", "name": "Xã Hòa An", "level": Level.COMMUNE, "has_council": True},
    )
    school = Organisation.objects.add_child(
        Organisation.objects.get(pk=commune.pk),
        {
            "code": "th-hoa-an",
            "name": "Trường Tiểu học Hòa An",
            "level": Level.UNIT,
            "kind": UnitKind.SCHOOL,
        },
    )
    for org in (province, commune, school):
        for role in ROLES_BY_LEVEL[org.level]:
            user = get_user_model().objects.create_user(f"{org.code}.{ROLE_SLUG[role]}")
            assign_role(user, organisation=org, role=role)
    council = Council.objects.create(
        organisation=Organisation.objects.get(pk=province.pk), name="Hội đồng TĐKT tỉnh Cao Bằng"
    )
    return {"province": province, "commune": commune, "school": school, "council": council}


@pytest.fixture
def councils(demo):
    seed_councils()
    return {c.organisation.code: c for c in Council.objects.select_related("organisation")}


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("nen-tang.vanhanh", password="x" * 20)


def as_user(client, username_or_user):
    user = f.user(username_or_user) if isinstance(username_or_user, str) else username_or_user
    client.force_login(user)
    return client


def rights_snapshot() -> tuple:
    """Everything a grant could change: roles, object permissions, group links, audit rows."""
    return (
        sorted(Membership.objects.values_list("user_id", "organisation_id", "role")),
        OrganisationUserObjectPermission.objects.count(),
        get_user_model().groups.through.objects.count(),
        CouncilMember.objects.count(),
        AuditEvent.objects.count(),
    )


# -- (1) guardian's object-permission screens ----------------------------------------------


@pytest.mark.parametrize("who", ["lang-son.quantri", "superuser"])
def test_guardians_object_permission_screens_are_gone(client, demo, superuser, who):
    as_user(client, superuser if who == "superuser" else who)
    province = demo["lang-son"]
    base = f"{ADMIN}/organisations/organisation/{province.pk}"
    proposer = f.user("th-hop-thanh.thiduakhenthuong")
    before = rights_snapshot()

    assert client.get(f"{base}/permissions/").status_code == 404
    screen = f"{base}/permissions/user-manage/{proposer.pk}/"
    assert client.get(screen).status_code == 404
    posted = client.post(screen, {"permissions": ["sign_decision", "receive_dossier"]})
    assert posted.status_code == 404

    page = client.get(f"{base}/change/")
    assert page.status_code == 200
    assert "/permissions/" not in page.content.decode()
    assert rights_snapshot() == before


# -- (2) administrators are scoped ---------------------------------------------------------


def test_administrator_gets_404_on_another_provinces_organisation_council_and_dossier(
    client, demo, cao_bang, councils
):
    # Even a group given model-level view rights on dossiers sees only its own subtree.
    admin = f.user("lang-son.quantri")
    admin.user_permissions.add(Permission.objects.get(codename="view_dossier"))
    own_dossier = f.make_draft(demo["th-hop-thanh"])
    other_dossier = f.make_draft(cao_bang["school"])
    as_user(client, admin)

    other_pages = [
        f"/organisations/organisation/{cao_bang['province'].pk}/change/",
        f"/organisations/organisation/{cao_bang['school'].pk}/change/",
        f"/councils/council/{cao_bang['council'].pk}/change/",
        f"/dossiers/dossier/{other_dossier.pk}/change/",
        f"/organisations/organisation/{cao_bang['province'].pk}/history/",
        f"/organisations/organisation/{cao_bang['school'].pk}/delete/",
    ]
    for path in other_pages:
        assert client.get(ADMIN + path).status_code == 404, path
    own_pages = [
        f"/organisations/organisation/{demo['hop-thanh'].pk}/change/",
        f"/councils/council/{councils['hop-thanh'].pk}/change/",
        f"/dossiers/dossier/{own_dossier.pk}/change/",
    ]
    for path in own_pages:
        assert client.get(ADMIN + path).status_code == 200, path

    listed = client.get(f"{ADMIN}/councils/council/").content.decode()
    assert "Hội đồng TĐKT tỉnh Cao Bằng" not in listed
    assert councils["hop-thanh"].name in listed
    found = client.get(f"{ADMIN}/organisations/organisation/", {"q": "Hòa An"}).content.decode()
    assert "Trường Tiểu học Hòa An" not in found
    dossiers = client.get(f"{ADMIN}/dossiers/dossier/").content.decode()
    assert own_dossier.reference in dossiers
    assert other_dossier.reference not in dossiers


def test_superuser_sees_every_province_in_the_admin(client, demo, cao_bang, superuser):
    as_user(client, superuser)
    path = f"{ADMIN}/organisations/organisation/{cao_bang['province'].pk}/change/"
    assert client.get(path).status_code == 200
    path = f"{ADMIN}/councils/council/{cao_bang['council'].pk}/change/"
    assert client.get(path).status_code == 200


def test_a_commune_administrator_sees_his_commune_and_below_only(client, demo):
    clerk = get_user_model().objects.create_user("hop-thanh.quantri")
    assign_role(
        clerk,
        organisation=demo["hop-thanh"],
        role=Role.ADMINISTRATOR,
        by=f.user("lang-son.quantri"),
        reason="Quản trị cấp xã",
    )
    as_user(client, clerk)
    tree = client.get(f"{ADMIN}/organisations/organisation/").content.decode()
    assert "Xã Hợp Thành" in tree  # the tree opens at his commune, though it is no root
    assert "Tỉnh Lạng Sơn" not in tree
    base = f"{ADMIN}/organisations/organisation"
    assert client.get(f"{base}/{demo['th-hop-thanh'].pk}/change/").status_code == 200
    assert client.get(f"{base}/{demo['xuat-le'].pk}/change/").status_code == 404
    assert client.get(f"{base}/{demo['lang-son'].pk}/change/").status_code == 404


# -- (3) grants through the service: audited, scoped, never to oneself ----------------------


def test_a_grant_through_the_service_writes_an_audit_row_naming_by_who_role_org_reason(demo):
    clerk = get_user_model().objects.create_user("moi.vanphong")
    admin = f.user("lang-son.quantri")
    assign_role(
        clerk,
        organisation=demo["hop-thanh"],
        role=Role.SECRETARIAT,
        by=admin,
        reason="Quyết định điều động số 12/QĐ-UBND",
    )
    event = AuditEvent.objects.for_object(demo["hop-thanh"]).get(
        action="role_granted", data__user="moi.vanphong"
    )
    assert event.actor == admin
    assert event.reason == "Quyết định điều động số 12/QĐ-UBND"
    assert event.data == {
        "user": "moi.vanphong",
        "role": "secretariat",
        "organisation": "hop-thanh",
        "by": "lang-son.quantri",
    }


@pytest.mark.parametrize("role", [Role.SIGNING_AUTHORITY, Role.SECRETARIAT, Role.ADMINISTRATOR])
def test_an_administrator_cannot_grant_himself_anything(demo, role):
    admin = f.user("lang-son.quantri")
    before = rights_snapshot()
    with pytest.raises(DomainError) as refused:
        assign_role(admin, organisation=demo["lang-son"], role=role, by=admin, reason="x")
    assert refused.value.code == "self_grant"
    assert refused.value.field == "user"
    assert "chính mình" in str(refused.value)
    assert rights_snapshot() == before


def test_a_superuser_cannot_grant_himself_a_business_role_either(demo, superuser):
    before = rights_snapshot()
    with pytest.raises(DomainError) as refused:
        assign_role(
            superuser, organisation=demo["lang-son"], role=Role.SIGNING_AUTHORITY, by=superuser
        )
    assert refused.value.code == "self_grant"
    assert rights_snapshot() == before


def test_a_grant_on_another_province_is_refused_and_changes_nothing(demo, cao_bang):
    admin = f.user("lang-son.quantri")
    proposer = f.user("th-hop-thanh.thiduakhenthuong")
    before = rights_snapshot()
    with pytest.raises(DomainError) as refused:
        assign_role(
            proposer, organisation=cao_bang["province"], role=Role.SIGNING_AUTHORITY, by=admin
        )
    assert refused.value.code == "outside_scope"
    assert refused.value.field == "organisation"
    assert "Tỉnh Cao Bằng" in str(refused.value)
    assert "ngoài phạm vi" in str(refused.value)
    with pytest.raises(DomainError):
        revoke_role(
            f.user("cao-bang.lanhdao"),
            organisation=cao_bang["province"],
            role=Role.SIGNING_AUTHORITY,
            by=admin,
        )
    assert rights_snapshot() == before


def test_a_commune_administrator_grants_below_but_not_beside_nor_above(demo):
    commune_admin = get_user_model().objects.create_user("hop-thanh.quantri")
    assign_role(commune_admin, organisation=demo["hop-thanh"], role=Role.ADMINISTRATOR, by=None)
    clerk = get_user_model().objects.create_user("moi")
    before = rights_snapshot()
    with pytest.raises(DomainError) as above:
        assign_role(clerk, organisation=demo["lang-son"], role=Role.ADMINISTRATOR, by=commune_admin)
    assert above.value.code == "above_own_level"
    assert above.value.field == "role"
    with pytest.raises(DomainError) as beside:
        assign_role(clerk, organisation=demo["xuat-le"], role=Role.PROPOSER, by=commune_admin)
    assert beside.value.code == "outside_scope"
    assert rights_snapshot() == before

    assign_role(clerk, organisation=demo["th-hop-thanh"], role=Role.PROPOSER, by=commune_admin)
    assert Membership.objects.filter(user=clerk, organisation=demo["th-hop-thanh"]).exists()


# -- the admin's Membership pages go through the services -----------------------------------


def test_the_membership_add_form_offers_only_the_subtree_and_grants_through_the_service(
    client, demo, cao_bang
):
    clerk = get_user_model().objects.create_user("moi.thiduakhenthuong")
    as_user(client, "lang-son.quantri")
    add = f"{ADMIN}/organisations/membership/add/"
    page = client.get(add)
    assert page.status_code == 200
    form = page.context["adminform"].form
    users = set(form.fields["user"].queryset.values_list("username", flat=True))
    assert "moi.thiduakhenthuong" in users  # a new account, no role yet
    assert "th-hop-thanh.thutruong" in users
    assert "lang-son.quantri" not in users  # never himself
    assert not any(name.startswith(("cao-bang", "hoa-an", "th-hoa-an")) for name in users)
    organisations = set(form.fields["organisation"].queryset.values_list("code", flat=True))
    assert "th-hop-thanh" in organisations
    assert "lang-son" in organisations
    assert organisations.isdisjoint({"cao-bang", "hoa-an", "th-hoa-an"})
    found = client.get(
        f"{ADMIN}/autocomplete/",
        {
            "app_label": "organisations",
            "model_name": "membership",
            "field_name": "organisation",
            "term": "Hòa An",
        },
    )
    assert found.status_code == 200
    assert json.loads(found.content)["results"] == []

    saved = client.post(
        add,
        {
            "user": clerk.pk,
            "organisation": demo["th-hop-thanh"].pk,
            "role": Role.PROPOSER,
            "title": "Giáo viên",
            "reason": "Phân công phụ trách thi đua năm học 2026-2027",
        },
    )
    assert saved.status_code == 302
    assert Membership.objects.filter(
        user=clerk, organisation=demo["th-hop-thanh"], role=Role.PROPOSER
    ).exists()
    event = AuditEvent.objects.for_object(demo["th-hop-thanh"]).get(
        action="role_granted", data__user="moi.thiduakhenthuong"
    )
    assert event.actor == f.user("lang-son.quantri")
    assert event.reason == "Phân công phụ trách thi đua năm học 2026-2027"
    clerk = type(clerk).objects.get(pk=clerk.pk)
    assert clerk.has_perm("organisations.file_dossier", demo["th-hop-thanh"])


def test_the_membership_add_form_refuses_another_province_and_himself(client, demo, cao_bang):
    admin = f.user("lang-son.quantri")
    clerk = get_user_model().objects.create_user("moi")
    as_user(client, admin)
    before = rights_snapshot()
    add = f"{ADMIN}/organisations/membership/add/"
    for data in (
        {"user": clerk.pk, "organisation": cao_bang["province"].pk, "role": Role.SECRETARIAT},
        {"user": admin.pk, "organisation": demo["lang-son"].pk, "role": Role.SIGNING_AUTHORITY},
        {"user": "abc", "organisation": "xyz", "role": "superuser"},
    ):
        page = client.post(add, {**data, "reason": "thử"})
        assert page.status_code == 200, data  # the form again, with its errors; never a 500
        assert page.context["adminform"].form.errors
    assert rights_snapshot() == before


def test_revoking_in_the_admin_goes_through_the_service_with_its_reason(client, demo):
    clerk = get_user_model().objects.create_user("moi")
    membership = assign_role(clerk, organisation=demo["hop-thanh"], role=Role.SECRETARIAT)
    as_user(client, "lang-son.quantri")
    path = f"{ADMIN}/organisations/membership/{membership.pk}/delete/"
    assert client.get(path).status_code == 200
    done = client.post(path, {"post": "yes", "reason": "Nghỉ hưu từ 01/01/2027"})
    assert done.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(action="role_revoked", data__user="moi")
    assert event.actor == f.user("lang-son.quantri")
    assert event.reason == "Nghỉ hưu từ 01/01/2027"
    clerk = type(clerk).objects.get(pk=clerk.pk)
    assert not clerk.has_perm("organisations.receive_dossier", demo["hop-thanh"])


def test_an_administrator_cannot_revoke_his_own_role_in_the_admin(client, demo):
    admin = f.user("lang-son.quantri")
    own = Membership.objects.get(user=admin, role=Role.ADMINISTRATOR)
    as_user(client, admin)
    before = rights_snapshot()
    path = f"{ADMIN}/organisations/membership/{own.pk}/delete/"
    assert client.post(path, {"post": "yes", "reason": "x"}).status_code == 403
    assert rights_snapshot() == before


# -- council terms ---------------------------------------------------------------------------


def test_cao_bang_administrator_cannot_add_himself_to_a_lang_son_council(
    client, demo, cao_bang, councils
):
    intruder = f.user("cao-bang.quantri")
    before = rights_snapshot()
    for code in ("lang-son", "hop-thanh"):
        council = councils[code]
        with pytest.raises(DomainError) as refused:
            add_council_member(
                council.pk,
                by=intruder,
                user=intruder,
                role=MemberRole.MEMBER,
                starts_on=date(2026, 1, 1),
            )
        assert refused.value.code == "self_grant"
        with pytest.raises(DomainError) as refused:
            add_council_member(
                council.pk,
                by=intruder,
                user=f.user("cao-bang.uyvien"),
                role=MemberRole.MEMBER,
                starts_on=date(2026, 1, 1),
            )
        assert refused.value.code == "outside_scope"

        as_user(client, intruder)
        assert client.get(f"{ADMIN}/councils/council/{council.pk}/change/").status_code == 404
        page = client.post(
            f"{ADMIN}/councils/councilmember/add/",
            {
                "council": council.pk,
                "user": intruder.pk,
                "role": MemberRole.MEMBER,
                "starts_on": TERM_START,
                "reason": "thử",
            },
        )
        assert page.status_code == 200
        errors = page.context["adminform"].form.errors
        assert "council" in errors
        assert "user" in errors
    assert rights_snapshot() == before


def test_an_administrator_adds_and_ends_a_council_term_through_the_audited_services(
    client, demo, councils
):
    council = councils["hop-thanh"]
    newcomer = f.user("th-hop-thanh.thutruong")
    as_user(client, "lang-son.quantri")
    added = client.post(
        f"{ADMIN}/councils/councilmember/add/",
        {
            "council": council.pk,
            "user": newcomer.pk,
            "role": MemberRole.MEMBER,
            "home_organisation": demo["th-hop-thanh"].pk,
            "starts_on": TERM_START,
            "reason": "Bổ sung thành viên theo Quyết định 30/QĐ-UBND",
        },
    )
    assert added.status_code == 302
    term = CouncilMember.objects.get(council=council, user=newcomer)
    event = AuditEvent.objects.for_object(council).get(action="council_member_added")
    assert event.actor == f.user("lang-son.quantri")
    assert event.reason == "Bổ sung thành viên theo Quyết định 30/QĐ-UBND"
    assert event.data["user"] == "th-hop-thanh.thutruong"

    ended = client.post(
        f"{ADMIN}/councils/councilmember/{term.pk}/change/",
        {"ends_on": "2026-06-30", "reason": "Chuyển công tác"},
    )
    assert ended.status_code == 302
    term.refresh_from_db()
    assert term.ends_on.isoformat() == "2026-06-30"
    event = AuditEvent.objects.for_object(council).get(action="council_member_ended")
    assert (event.to_state, event.reason) == ("2026-06-30", "Chuyển công tác")


def test_a_council_term_cannot_end_before_it_starts_nor_overlap_another(demo, councils):
    council = councils["hop-thanh"]
    admin = f.user("lang-son.quantri")
    term = CouncilMember.objects.filter(council=council).first()
    before = rights_snapshot()
    with pytest.raises(DomainError) as early:
        end_council_member(term.pk, by=admin, ends_on=term.starts_on.replace(year=2000))
    assert early.value.field == "ends_on"
    with pytest.raises(DomainError) as twice:
        add_council_member(
            council.pk, by=admin, user=term.user, role=MemberRole.MEMBER, starts_on=term.starts_on
        )
    assert twice.value.code == "term_overlaps"
    assert rights_snapshot() == before


# -- audit rows, shared configuration, notices ----------------------------------------------


def test_audit_rows_are_scoped_and_read_only_for_everyone(client, demo, cao_bang, superuser):
    grant = AuditEvent.objects.for_object(cao_bang["commune"]).filter(action="role_granted")[0]
    own = AuditEvent.objects.for_object(demo["hop-thanh"]).filter(action="role_granted")[0]
    as_user(client, "lang-son.quantri")
    assert client.get(f"{ADMIN}/audit/auditevent/{grant.pk}/change/").status_code == 404
    assert client.get(f"{ADMIN}/audit/auditevent/{own.pk}/change/").status_code == 200
    listed = client.get(f"{ADMIN}/audit/auditevent/", {"action": "role_granted"})
    shown = {row.pk for row in listed.context["cl"].result_list}
    assert own.pk in shown
    assert grant.pk not in shown

    as_user(client, superuser)
    assert client.get(f"{ADMIN}/audit/auditevent/{grant.pk}/change/").status_code == 200
    assert client.post(f"{ADMIN}/audit/auditevent/{grant.pk}/change/", {}).status_code == 403
    assert client.post(f"{ADMIN}/audit/auditevent/{grant.pk}/delete/", {}).status_code == 403
    assert client.get(f"{ADMIN}/audit/auditevent/add/").status_code == 403


def test_the_shared_catalogue_is_read_only_to_a_province_administrator(client, demo, superuser):
    rule_set = f.award("bang-khen-tinh").rule_set
    as_user(client, "lang-son.quantri")
    assert client.get(f"{ADMIN}/dossiers/ruleset/").status_code == 200
    change = f"{ADMIN}/dossiers/ruleset/{rule_set.pk}/change/"
    assert client.get(change).status_code == 200  # a view-only page
    assert client.post(change, {"code": "doi-ma", "name": "x"}).status_code == 403
    assert client.get(f"{ADMIN}/dossiers/ruleset/add/").status_code == 403
    rule_set.refresh_from_db()
    assert rule_set.code != "doi-ma"


def test_an_administrator_cannot_create_a_new_province_or_move_a_unit_out(client, demo):
    as_user(client, "lang-son.quantri")
    before = Organisation.objects.count()
    page = client.post(
        f"{ADMIN}/organisations/organisation/add/",
        {
            "code": "tinh-moi",
            "name": "Tỉnh Mới",
            "level": Level.PROVINCE,
            "kind": UnitKind.GOVERNMENT,
            "valid_from": "2000-01-01",
            "treebeard_position": "sorted-child",
            "treebeard_ref_node": "",
        },
    )
    assert page.status_code == 200
    assert "treebeard_ref_node" in page.context["adminform"].form.errors
    assert Organisation.objects.count() == before
    moved = client.post(
        f"{ADMIN}/organisations/organisation/move/",
        {"node": demo["th-hop-thanh"].pk, "target": demo["xuat-le"].pk, "relation": "child"},
    )
    assert moved.status_code == 403
    school = Organisation.objects.get(pk=demo["th-hop-thanh"].pk)
    assert Organisation.objects.get_parent(school) == demo["hop-thanh"]


def test_notices_in_the_admin_are_for_the_platform_operator_only(client, demo, superuser):
    admin = f.user("lang-son.quantri")
    admin.user_permissions.add(*Permission.objects.filter(content_type__app_label="notifications"))
    as_user(client, admin)
    for model in ("messagetemplate", "preference", "outboxmessage"):
        assert client.get(f"{ADMIN}/notifications/{model}/").status_code == 403, model
    as_user(client, superuser)
    assert client.get(f"{ADMIN}/notifications/messagetemplate/").status_code == 200
