"""Typed stage rules: the snapshot round trip, old snapshots, and the two flags that were
read but never written (hiệp y's longer limit, recusal of the proposing unit's members)."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from councils import services as council_services
from councils.demo import seed_councils
from councils.models import Council, CouncilMember, Recusal
from dossiers.models import RouteStage
from tests import factories as f
from tests.councils.conftest import chair_of, meeting_with, voters
from workflow import services as transitions
from workflow.models import StageDeadline
from workflow.stage_rules import Proportion, StageRules
from workflow.states import StageTier

PROVINCIAL = StageRules(
    position=1,
    tier="provincial",
    levels=("province",),
    has_council=True,
    limit_days=20,
    limit_days_with_consultation=30,
    limit_days_simplified=10,
    threshold=Proportion(9, 10, False),
    threshold_base="all_members",
    count_written_votes=True,
    quorum=Proportion(2, 3, False),
    secret_ballot=False,
    consultation=True,
    recuse_proposing_unit=True,
)

# As RouteStage.snapshot() wrote it before issue 11: no consultation, no recusal flag.
OLD_SNAPSHOT = {
    "position": 1,
    "tier": "intermediate",
    "levels": ["commune", "department"],
    "has_council": True,
    "limit_days": 10,
    "limit_days_with_consultation": None,
    "limit_days_simplified": None,
    "threshold": [1, 2, True],
    "threshold_base": "present",
    "count_written_votes": False,
    "quorum": [2, 3, False],
    "secret_ballot": True,
}


def test_rules_round_trip_through_json():
    stored = json.loads(json.dumps(PROVINCIAL.to_snapshot()))
    assert StageRules.from_snapshot(stored) == PROVINCIAL
    assert stored["threshold"] == [9, 10, False]
    assert stored["levels"] == ["province"]


def test_an_old_snapshot_loads_with_the_defaults_for_the_new_keys():
    rules = StageRules.from_snapshot(OLD_SNAPSHOT)
    assert (rules.consultation, rules.recuse_proposing_unit) == (False, False)
    assert rules.levels == ("commune", "department")
    assert rules.threshold == Proportion(1, 2, True)
    assert rules.threshold.strict
    assert rules.limit_days_for(simplified=False) == 10
    assert StageRules.from_snapshot(rules.to_snapshot()) == rules


def test_an_empty_snapshot_reads_as_before():
    """A stage row with `{}` (e.g. bench data): 20 days, no council, secret ballot."""
    rules = StageRules.from_snapshot({})
    assert rules == StageRules.from_snapshot(None) == StageRules()
    assert (rules.limit_days, rules.has_council, rules.secret_ballot) == (20, False, True)


@pytest.mark.parametrize(
    ("consultation", "simplified", "limit"),
    [(False, False, 20), (True, False, 30), (True, True, 10), (False, True, 10)],
)
def test_limit_days_for(consultation, simplified, limit):
    rules = StageRules(
        limit_days=20,
        limit_days_with_consultation=30,
        limit_days_simplified=10,
        consultation=consultation,
    )
    assert rules.limit_days_for(simplified=simplified) == limit


def test_a_missing_special_limit_falls_back_to_the_plain_one():
    rules = StageRules(limit_days=20, consultation=True)
    assert rules.limit_days_for(simplified=True) == 20


def test_consultation_without_its_limit_is_refused_by_the_model():
    stage = RouteStage(tier=StageTier.PROVINCIAL, consultation=True)
    with pytest.raises(ValidationError) as refused:
        stage.clean()
    assert "limit_days_with_consultation" in refused.value.message_dict
    RouteStage(
        tier=StageTier.PROVINCIAL, consultation=True, limit_days_with_consultation=30
    ).clean()
    RouteStage(tier=StageTier.PROVINCIAL, consultation=False).clean()


@pytest.mark.django_db
def test_a_stage_with_consultation_gets_its_longer_limit_on_the_deadline(demo):
    """Bằng khen at the province: 20 days, 30 with hiệp y. Received 12/04/2027, due 30
    working days later (16/04, 30/04 and the nghỉ bù Monday 03/05 are off): 27/05/2027,
    where the plain limit would give 13/05/2027."""
    RouteStage.objects.filter(award_type__code="bang-khen-tinh", tier=StageTier.PROVINCIAL).update(
        consultation=True
    )
    dossier = f.submit_and_approve(f.make_draft(demo["so-y-te"]))
    transitions.accept_dossier(
        dossier.pk, by=f.user("lang-son.vanphong"), received_on=date(2027, 4, 12)
    )

    deadline = StageDeadline.objects.get(dossier=dossier)
    assert deadline.stage.stage_rules.consultation
    assert (deadline.limit_days, deadline.due_on) == (30, date(2027, 5, 27))


@pytest.mark.django_db
@pytest.mark.parametrize("stage_flag", [True, False])
def test_the_route_stage_recuses_the_proposing_unit_when_the_council_does_not(demo, stage_flag):
    """Mirrors tests/councils/test_sessions.py, with the flag on the route stage instead."""
    RouteStage.objects.filter(
        award_type__code="bang-khen-tinh", tier=StageTier.INTERMEDIATE
    ).update(recuse_proposing_unit=stage_flag)
    seed_councils()
    commune = Council.objects.get(organisation__code="hop-thanh")
    Council.objects.filter(pk=commune.pk).update(recuse_proposing_unit=False)
    commune.refresh_from_db()
    dossier = f.make_dossier_at_council(demo["th-hop-thanh"], level="intermediate", nominees=2)
    member = voters(commune)[2]
    CouncilMember.objects.filter(pk=member.pk).update(home_organisation=demo["th-hop-thanh"])

    meeting = meeting_with(commune, [dossier])
    council_services.open_meeting(meeting.pk, by=chair_of(commune))

    recused = set(Recusal.objects.values_list("member_id", "reason"))
    if stage_flag:
        assert recused == {(member.pk, "proposing_unit")}
        assert Recusal.objects.count() == 2  # both nominees of that unit
    else:
        assert recused == set()
