"""Demo councils: sizes the law expects, built idempotently from the demo role holders."""

import pytest
from django.contrib.auth import get_user_model

from councils.demo import seed_councils
from councils.models import Council, CouncilMember

from .conftest import voters

pytestmark = pytest.mark.django_db


def test_provincial_council_has_a_chair_vice_chairs_and_about_twenty_members(councils):
    province = councils["lang-son"]
    roles = [m.role for m in province.members.all()]
    assert 9 <= len(voters(province)) <= 20
    assert roles.count("chair") == 1
    assert roles.count("vice_chair") == 3
    assert roles.count("secretary") == 1
    chair = province.members.get(role="chair")
    assert chair.user.username == "lang-son.chutichhd"


def test_commune_councils_have_five_voters(councils):
    for code in ("hop-thanh", "xuat-le", "tan-doan", "trang-cac"):
        assert len(voters(councils[code])) == 5, code


def test_seeding_twice_changes_nothing(councils):
    counts = (
        Council.objects.count(),
        CouncilMember.objects.count(),
        get_user_model().objects.count(),
    )
    seed_councils()
    assert (
        Council.objects.count(),
        CouncilMember.objects.count(),
        get_user_model().objects.count(),
    ) == counts
