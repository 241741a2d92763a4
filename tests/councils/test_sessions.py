"""A council session end to end through the services: agenda, roll, vote, close, result."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError
from councils import services
from councils.models import (
    AgendaItem,
    BallotReceipt,
    CouncilMember,
    MeetingStatus,
    NomineeResult,
    OpenVote,
    Recusal,
    SealedBallot,
    SecretChoice,
)
from dossiers.models import Dossier, DossierStage, NomineeOutcome
from notifications.models import OutboxMessage
from tests import factories as f
from workflow.states import DossierStatus

from .conftest import chair_of, meeting_with, secretariat_of, voters

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune(councils):
    return councils["hop-thanh"]


@pytest.fixture
def dossier(demo, commune):
    return f.make_dossier_at_council(demo["th-hop-thanh"], level="intermediate", nominees=2)


def nominees(dossier):
    return list(Dossier.objects.get(pk=dossier.pk).active_nominees())


def vote_all(meeting, members, nominee, choices):
    for member, choice in zip(members, choices, strict=True):
        assert services.cast_ballot(
            meeting.pk, by=member.user, nominee_id=nominee.pk, choice=choice
        )


def refusal(call) -> str:
    with pytest.raises(DomainError) as refused:
        call()
    return refused.value.code


def test_commune_council_has_five_voters_and_a_non_voting_secretary(commune):
    members = list(commune.members.all())
    assert len(voters(commune)) == 5
    secretary = [m for m in members if m.role == "secretary"]
    assert len(secretary) == 1
    assert not secretary[0].votes()


def test_secret_vote_passes_one_nominee_fails_the_other_and_moves_the_dossier(commune, dossier):
    first, second = nominees(dossier)
    meeting = meeting_with(commune, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(commune))
    members = voters(commune)
    vote_all(meeting, members, first, ["agree"] * 4 + ["disagree"])
    vote_all(meeting, members, second, ["agree"] * 2 + ["disagree"] * 3)

    services.close_meeting(meeting.pk, by=chair_of(commune), note="Thống nhất đề nghị.")

    results = {r.nominee_id: r for r in NomineeResult.objects.all()}
    assert (results[first.pk].agree, results[first.pk].disagree) == (4, 1)
    assert (results[first.pk].base, results[first.pk].needed) == (5, 3)  # > 1/2 of 5 present
    assert results[first.pk].outcome == "passed"
    assert results[second.pk].outcome == "failed"
    moved = Dossier.objects.get(pk=dossier.pk)
    assert moved.status == DossierStatus.PROVINCIAL_APPRAISAL
    assert [n.pk for n in moved.active_nominees()] == [first.pk]
    assert set(
        NomineeOutcome.objects.filter(nominee__dossier=dossier).values_list("outcome", flat=True)
    ) == {"passed", "failed"}
    closed = type(meeting).objects.get(pk=meeting.pk)
    assert closed.status == MeetingStatus.CLOSED
    assert closed.minutes_number == "01/BB-HĐTĐKT"


def test_opening_tells_each_voting_member(commune, dossier):
    meeting = meeting_with(commune, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(commune))
    told = set(
        OutboxMessage.objects.filter(template="council_ballot_open").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {m.user_id for m in voters(commune)}


def test_quorum_not_met_records_no_result_and_the_dossier_stays(commune, dossier):
    meeting = meeting_with(commune, [dossier])
    members = voters(commune)
    services.record_attendance(
        meeting.pk,
        by=secretariat_of(commune),
        absent={members[3].pk: "Đi công tác", members[4].pk: "Ốm"},
    )
    services.open_meeting(meeting.pk, by=chair_of(commune))
    first, _ = nominees(dossier)
    vote_all(meeting, members[:3], first, ["agree"] * 3)

    services.close_meeting(meeting.pk, by=chair_of(commune))

    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.present, item.members, item.quorate) == (3, 5, False)  # 9 < 10
    assert not NomineeResult.objects.exists()
    assert not NomineeOutcome.objects.filter(nominee__dossier=dossier).exists()
    stayed = Dossier.objects.get(pk=dossier.pk)
    assert stayed.status == DossierStatus.INTERMEDIATE_COUNCIL
    assert len(stayed.active_nominees()) == 2
    again = meeting_with(commune, [stayed], title="Họp lại")  # it can go before a new session
    assert again.items.count() == 1


def test_a_closed_session_refuses_ballots_and_so_does_one_not_yet_open(commune, dossier):
    first, _ = nominees(dossier)
    member = voters(commune)[0]
    meeting = meeting_with(commune, [dossier])
    cast = lambda: services.cast_ballot(  # noqa: E731
        meeting.pk, by=member.user, nominee_id=first.pk, choice="agree"
    )
    assert refusal(cast) == "not_open"
    services.open_meeting(meeting.pk, by=chair_of(commune))
    services.close_meeting(meeting.pk, by=chair_of(commune))
    assert refusal(cast) == "not_open"
    assert BallotReceipt.objects.count() == 0
    assert SecretChoice.objects.count() == 0


def test_casting_twice_keeps_the_first_ballot_only(commune, dossier):
    first, _ = nominees(dossier)
    member = voters(commune)[0]
    meeting = meeting_with(commune, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(commune))
    assert services.cast_ballot(meeting.pk, by=member.user, nominee_id=first.pk, choice="agree")
    assert not services.cast_ballot(
        meeting.pk, by=member.user, nominee_id=first.pk, choice="disagree"
    )
    assert BallotReceipt.objects.count() == 1
    assert SealedBallot.objects.count() == 1  # sealed until the close opens it
    services.close_meeting(meeting.pk, by=chair_of(commune))
    assert list(SecretChoice.objects.values_list("choice", flat=True)) == ["agree"]


def test_someone_outside_the_council_cannot_vote_or_run_the_session(councils, commune, dossier):
    first, _ = nominees(dossier)
    meeting = meeting_with(commune, [dossier])
    outsider = f.user("tan-doan.chutichhd")
    assert refusal(lambda: services.open_meeting(meeting.pk, by=outsider)) == "no_permission"
    services.open_meeting(meeting.pk, by=chair_of(commune))
    assert (
        refusal(
            lambda: services.cast_ballot(
                meeting.pk, by=outsider, nominee_id=first.pk, choice="agree"
            )
        )
        == "not_a_member"
    )
    # The secretary keeps the minutes and does not vote unless the council says so.
    assert (
        refusal(
            lambda: services.cast_ballot(
                meeting.pk, by=secretariat_of(commune), nominee_id=first.pk, choice="agree"
            )
        )
        == "not_a_member"
    )


def test_a_dossier_before_another_council_cannot_join_the_agenda(councils, demo):
    other = f.make_dossier_at_council(demo["thcs-tan-doan"], level="intermediate", nominees=1)
    meeting = meeting_with(councils["hop-thanh"], [])
    code = refusal(
        lambda: services.add_to_agenda(
            meeting.pk, by=secretariat_of(councils["hop-thanh"]), dossier_id=other.pk
        )
    )
    assert code == "dossier_not_at_council"


def test_member_who_is_a_nominee_is_recused_and_the_base_shrinks(commune, dossier):
    first, second = nominees(dossier)
    members = voters(commune)
    nominee_member = members[1]
    CouncilMember.objects.filter(pk=nominee_member.pk).update(identity_code=first.identity_code)
    meeting = meeting_with(commune, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(commune))

    recusal = Recusal.objects.get()
    assert (recusal.member_id, recusal.nominee_id, recusal.reason) == (
        nominee_member.pk,
        first.pk,
        "nominee",
    )
    code = refusal(
        lambda: services.cast_ballot(
            meeting.pk, by=nominee_member.user, nominee_id=first.pk, choice="agree"
        )
    )
    assert code == "recused"
    others = [m for m in members if m.pk != nominee_member.pk]
    vote_all(meeting, others, first, ["agree", "agree", "agree", "disagree"])
    vote_all(meeting, members, second, ["agree"] * 5)  # the recusal is for that nominee only
    services.close_meeting(meeting.pk, by=chair_of(commune))

    result = NomineeResult.objects.get(nominee=first)
    assert (result.base, result.recused, result.agree, result.needed) == (4, 1, 3, 3)
    assert result.outcome == "passed"
    assert NomineeResult.objects.get(nominee=second).base == 5


def test_member_of_the_proposing_unit_is_recused_when_the_council_says_so(demo, commune, dossier):
    commune.recuse_proposing_unit = True
    commune.save()
    member = voters(commune)[2]
    CouncilMember.objects.filter(pk=member.pk).update(home_organisation=demo["th-hop-thanh"])
    meeting = meeting_with(commune, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(commune))
    assert set(Recusal.objects.values_list("member_id", "reason")) == {
        (member.pk, "proposing_unit")
    }
    assert Recusal.objects.count() == 2  # both nominees of that unit


def test_an_absent_member_cannot_vote_on_the_page_his_opinion_goes_in_writing(commune, dossier):
    """Decree 98/2023 art. 30 §7: an absentee's vote is his written opinion, recorded by
    the secretariat with its document (test_vote_law.py), never a ballot on the page."""
    first, _ = nominees(dossier)
    members = voters(commune)
    meeting = meeting_with(commune, [dossier])
    services.record_attendance(meeting.pk, by=secretariat_of(commune), absent={members[4].pk: ""})
    item = AgendaItem.objects.get(meeting=meeting)
    item.rules = {**item.rules, "count_written_votes": True}
    item.save()
    services.open_meeting(meeting.pk, by=chair_of(commune))
    with pytest.raises(DomainError) as refused:
        services.cast_ballot(meeting.pk, by=members[4].user, nominee_id=first.pk, choice="agree")
    assert refused.value.code == "absent"
    assert members[4].name in str(refused.value)
    assert first.full_name in str(refused.value)
    assert "Điều 30 khoản 7 Nghị định 98/2023" in str(refused.value)
    assert not BallotReceipt.objects.exists()
    assert not SecretChoice.objects.exists()


def test_open_vote_is_recorded_per_member(commune, dossier):
    stage = Dossier.objects.get(pk=dossier.pk).current_stage
    DossierStage.objects.filter(pk=stage.pk).update(rules={**stage.rules, "secret_ballot": False})
    first, _ = nominees(dossier)
    members = voters(commune)
    meeting = meeting_with(commune, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(commune))
    vote_all(meeting, members, first, ["agree", "disagree", "agree", "agree", "agree"])
    assert set(OpenVote.objects.values_list("member_id", "choice")) == {
        (m.pk, c)
        for m, c in zip(members, ["agree", "disagree", "agree", "agree", "agree"], strict=True)
    }
    assert not SecretChoice.objects.exists()


def test_the_rules_pinned_on_the_agenda_decide_not_later_edits(commune, dossier):
    first, second = nominees(dossier)
    meeting = meeting_with(commune, [dossier])
    stage = Dossier.objects.get(pk=dossier.pk).current_stage
    # An edit after the dossier joined the agenda (e.g. unanimity) must not change the count.
    DossierStage.objects.filter(pk=stage.pk).update(
        rules={**stage.rules, "threshold": [1, 1, False]}
    )
    services.open_meeting(meeting.pk, by=chair_of(commune))
    members = voters(commune)
    vote_all(meeting, members, first, ["agree"] * 3 + ["disagree"] * 2)
    vote_all(meeting, members, second, ["agree"] * 3 + ["disagree"] * 2)
    services.close_meeting(meeting.pk, by=chair_of(commune))
    assert set(NomineeResult.objects.values_list("outcome", flat=True)) == {"passed"}


def test_online_ballots_are_refused_after_the_voting_window(commune, dossier):
    first, _ = nominees(dossier)
    meeting = meeting_with(commune, [dossier])
    type(meeting).objects.filter(pk=meeting.pk).update(
        online=True, voting_closes_at=timezone.now() - timedelta(minutes=1)
    )
    services.open_meeting(meeting.pk, by=chair_of(commune))
    member = voters(commune)[0]
    code = refusal(
        lambda: services.cast_ballot(
            meeting.pk, by=member.user, nominee_id=first.pk, choice="agree"
        )
    )
    assert code == "not_open"
    assert not BallotReceipt.objects.exists()


@pytest.mark.parametrize(("agree", "outcome"), [(9, "passed"), (8, "failed")])
def test_provincial_council_counts_more_than_half_of_all_members(demo, councils, agree, outcome):
    """Bằng khen at the province: > 1/2 of all 16 voting members; absentees still count
    in the base, so 8 agree of 16 fails even when only 13 came (16 > 16 is false). 13 of
    16 sit: the award-review quorum is 4/5 (65 ≥ 64)."""
    province = councils["lang-son"]
    dossier = f.make_dossier_at_council(demo["so-y-te"], nominees=1)
    assert dossier.current_stage.stage_rules.threshold_base == "all_members"
    members = voters(province)
    assert len(members) == 16
    meeting = meeting_with(province, [dossier])
    services.record_attendance(
        meeting.pk, by=secretariat_of(province), absent={m.pk: "" for m in members[13:]}
    )
    services.open_meeting(meeting.pk, by=chair_of(province))
    (nominee,) = nominees(dossier)
    vote_all(meeting, members[:13], nominee, ["agree"] * agree + ["disagree"] * (13 - agree))
    services.close_meeting(meeting.pk, by=chair_of(province))
    result = NomineeResult.objects.get(nominee=nominee)
    assert (result.base, result.needed, result.outcome) == (16, 9, outcome)
    expected = (
        DossierStatus.AWAITING_DECISION if outcome == "passed" else DossierStatus.NOT_APPROVED
    )
    assert Dossier.objects.get(pk=dossier.pk).status == expected
