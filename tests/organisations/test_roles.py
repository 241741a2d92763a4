import pytest
from django.contrib.auth.models import Group

from audit.models import AuditEvent
from organisations.models import Membership
from organisations.permissions import organisations_where, users_who_can
from organisations.roles import Perm, Role
from organisations.services import assign_role, revoke_role


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user("clerk", password="x")


def test_assigning_a_role_grants_group_and_object_permissions(demo, clerk):
    school = demo["th-hop-thanh"]
    assign_role(clerk, organisation=school, role=Role.PROPOSER)
    clerk = type(clerk).objects.get(pk=clerk.pk)  # guardian caches perms per instance
    assert clerk.groups.filter(name="proposer").exists()
    assert clerk.has_perm(Perm.full(Perm.FILE_DOSSIER), school)
    assert not clerk.has_perm(Perm.full(Perm.RECEIVE_DOSSIER), school)
    assert list(organisations_where(clerk, Perm.FILE_DOSSIER)) == [school]
    assert clerk in users_who_can(Perm.FILE_DOSSIER, school)
    assert AuditEvent.objects.filter(action="role_granted").count() >= 1


def test_assigning_twice_changes_nothing(demo, clerk):
    school = demo["th-hop-thanh"]
    assign_role(clerk, organisation=school, role=Role.PROPOSER)
    events = AuditEvent.objects.count()
    assign_role(clerk, organisation=school, role=Role.PROPOSER)
    assert Membership.objects.filter(user=clerk).count() == 1
    assert AuditEvent.objects.count() == events


def test_user_of_unit_a_has_no_permission_on_unit_b(demo, user_of):
    proposer_a = user_of("th-hop-thanh", "thiduakhenthuong")
    unit_b = demo["thcs-tan-doan"]
    for codename, _label in Perm.__dict__.items():
        if codename.isupper():
            assert not proposer_a.has_perm(Perm.full(getattr(Perm, codename)), unit_b)
    assert unit_b not in organisations_where(proposer_a, Perm.VIEW_DOSSIERS)
    # Nor on the district or province above it: roles do not inherit upwards.
    assert not proposer_a.has_perm(Perm.full(Perm.VIEW_DOSSIERS), demo["cao-loc"])


def test_revoking_a_role_removes_only_what_no_other_role_grants(demo, clerk):
    commune = demo["hop-thanh"]
    assign_role(clerk, organisation=commune, role=Role.PROPOSER)
    assign_role(clerk, organisation=commune, role=Role.SECRETARIAT)
    revoke_role(clerk, organisation=commune, role=Role.PROPOSER)
    clerk = type(clerk).objects.get(pk=clerk.pk)
    assert not clerk.has_perm(Perm.full(Perm.FILE_DOSSIER), commune)
    assert clerk.has_perm(Perm.full(Perm.VIEW_DOSSIERS), commune)  # secretariat still grants it
    assert clerk.has_perm(Perm.full(Perm.RECEIVE_DOSSIER), commune)
    assert not clerk.groups.filter(name="proposer").exists()
    assert Group.objects.filter(name="secretariat", user=clerk).exists()
    assert AuditEvent.objects.filter(action="role_revoked").count() == 1
