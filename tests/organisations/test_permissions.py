"""The one permission gate (organisations.permissions) and its superuser rule.

A superuser is a platform operator: `is_superuser` gives him the admin and no business
right. Before the gate, five checks answered him differently (he could edit any draft and
run any meeting, but not submit or forward); now every one of them says no, until he is
given a role like anyone else, and then each says yes for that role only.
"""

import pytest

from core.errors import DomainError
from councils import services as councils
from councils.demo import seed_councils
from councils.models import Council
from dossiers import services as dossiers
from organisations.permissions import holds, organisations_where, require, users_who_can
from organisations.roles import Perm, Role
from organisations.services import assign_role
from tests import factories as f
from workflow import services as transitions

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(demo, django_user_model):
    return django_user_model.objects.create_superuser("nen-tang.vanhanh", password="x" * 20)


def test_a_superuser_holds_nothing_by_the_flag(demo, operator):
    school = demo["th-hop-thanh"]
    for codename in (Perm.FILE_DOSSIER, Perm.RECEIVE_DOSSIER, Perm.SIGN_DECISION, Perm.VOTE):
        assert not holds(operator, school, codename)
    assert not organisations_where(operator, Perm.VIEW_DOSSIERS).exists()
    assert operator not in users_who_can(Perm.FILE_DOSSIER, school)
    with pytest.raises(DomainError) as refused:
        require(operator, school, Perm.FILE_DOSSIER)
    assert refused.value.code == "no_permission"


def test_every_former_check_refuses_a_superuser_alike(demo, operator):
    draft = f.make_draft(demo["th-hop-thanh"])
    seed_councils()
    council = Council.objects.get(organisation__code="hop-thanh")

    assert not dossiers.can_edit(draft, operator)  # was True through user.has_perm
    assert not councils.may_manage(operator, council)  # was True
    assert not councils.may_chair(operator, council)  # was True
    assert transitions.available_actions(draft, operator) == []
    with pytest.raises(DomainError):
        dossiers.update_dossier(draft.pk, by=operator, title="Sửa bởi người vận hành")
    with pytest.raises(DomainError):
        transitions.submit_dossier(draft.pk, by=operator)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.title.startswith("Đề nghị")


def test_a_superuser_given_a_role_acts_in_that_role_only(demo, operator):
    school = demo["th-hop-thanh"]
    assign_role(operator, organisation=school, role=Role.PROPOSER)
    draft = f.make_draft(school)
    assert dossiers.can_edit(draft, operator)
    assert "submit" in transitions.available_actions(draft, operator)
    assert not holds(operator, school, Perm.APPROVE_UNIT_DOSSIER)
    assert not holds(operator, demo["tan-doan"], Perm.FILE_DOSSIER)


def test_an_inactive_user_holds_nothing(demo):
    clerk = f.user("hop-thanh.vanphong")
    assert holds(clerk, demo["hop-thanh"], Perm.RECEIVE_DOSSIER)
    clerk.is_active = False
    clerk.save()
    assert not holds(clerk, demo["hop-thanh"], Perm.RECEIVE_DOSSIER)
    assert clerk not in users_who_can(Perm.RECEIVE_DOSSIER, demo["hop-thanh"])
