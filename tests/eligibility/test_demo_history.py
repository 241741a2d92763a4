"""The demo award history feeds the consecutive-years check as the demo notes promise."""

import pytest

from decisions.demo import seed_registry
from registry.checks import verdicts
from registry.eligibility import CONSECUTIVE
from registry.models import RegistryEntry
from tests.factories import make_draft

pytestmark = pytest.mark.django_db


def test_demo_history_makes_one_teacher_eligible_and_names_the_others_gap(demo):
    seed_registry()
    seed_registry()  # idempotent
    assert RegistryEntry.objects.count() == 12
    unit = demo["th-hop-thanh"]
    people = [
        {
            "kind": "individual",
            "full_name": name,
            "birth_year": born,
            "organisation_name": unit.name,
            "achievement_summary": "Sáng kiến cấp tỉnh.",
        }
        for name, born in (("Hoàng Thị Thu Trang", 1984), ("Nông Văn Quyết", 1979))
    ]
    dossier = make_draft(unit, "cstd-tinh", year=2026, nominee_fields=people)
    results = verdicts(dossier, competing=dossier.competing_nominees())
    found = {v.message.split(":")[0]: v for v in results if v.rule == CONSECUTIVE}
    assert found["Hoàng Thị Thu Trang"].passed
    assert not found["Nông Văn Quyết"].passed
    assert found["Nông Văn Quyết"].evidence["missing"] == [2024]
