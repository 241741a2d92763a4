"""Ballots under concurrency on PostgreSQL: threads, each with its own connection.

The receipt's unique constraint is what stops a double vote; the meeting's shared lock is
what keeps a ballot from slipping in after the count. Each scenario repeats 20 times.
"""

import threading
from collections import Counter
from datetime import date
from functools import partial

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from core.errors import DomainError
from councils import services
from councils.models import BallotReceipt, CouncilMember, NomineeResult, SealedBallot
from tests import factories as f

from .conftest import chair_of, meeting_with, voters

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROUNDS = 20
MEMBERS = 50


def _fill_council(council, size: int) -> list[CouncilMember]:
    """Add members until the council has `size` voters (configuration, as the admin would)."""
    users = get_user_model()
    have = len(voters(council))
    for n in range(size - have):
        user = users.objects.create(
            username=f"{council.organisation.code}.uyvien-them-{n:02d}",
            last_name="Hoàng Văn",
            first_name=f"Thành viên {n + 1}",
        )
        CouncilMember.objects.create(
            council=council, user=user, role="member", starts_on=date(2025, 1, 1)
        )
    members = voters(council)
    assert len(members) == size
    return members


def _together(calls) -> list:
    """Run the calls at the same instant, one thread and one connection each."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except DomainError as error:
            results[i] = error.code
        except Exception as error:  # an unexpected error is kept, and fails the test below
            results[i] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


cast = services.cast_ballot


def close(meeting_id: int, *, by) -> str:
    services.close_meeting(meeting_id, by=by)
    return "closed"


@pytest.fixture
def session(demo, councils):
    council = councils["hop-thanh"]
    members = _fill_council(council, MEMBERS)
    dossier = f.make_dossier_at_council(demo["th-hop-thanh"], level="intermediate", nominees=ROUNDS)
    meeting = meeting_with(council, [dossier])
    services.open_meeting(meeting.pk, by=chair_of(council))
    return council, members, meeting, list(dossier.active_nominees())


def test_fifty_members_voting_at_once_give_fifty_ballots(session):
    council, members, meeting, nominees = session
    for nominee in nominees:
        results = _together(
            [
                partial(cast, meeting.pk, by=m.user, nominee_id=nominee.pk, choice="agree")
                for m in members
            ]
        )
        assert results == [True] * MEMBERS
        assert BallotReceipt.objects.filter(nominee=nominee).count() == MEMBERS
        assert SealedBallot.objects.filter(nominee=nominee).count() == MEMBERS

    services.close_meeting(meeting.pk, by=chair_of(council))
    tallies = list(NomineeResult.objects.values_list("agree", "disagree", "base", "outcome"))
    assert tallies == [(MEMBERS, 0, MEMBERS, "passed")] * ROUNDS


def test_the_same_member_submitting_twice_at_once_gives_one_ballot(session):
    _, members, meeting, nominees = session
    for round_, nominee in enumerate(nominees):
        member = members[round_ % len(members)]
        results = _together(
            [
                partial(cast, meeting.pk, by=member.user, nominee_id=nominee.pk, choice=choice)
                for choice in ("agree", "disagree")
            ]
        )
        assert sorted(results) == [False, True]
        assert BallotReceipt.objects.filter(nominee=nominee, member=member).count() == 1
        assert SealedBallot.objects.filter(nominee=nominee).count() == 1


def test_ballots_racing_the_close_are_either_counted_or_refused(demo, councils):
    council = councils["hop-thanh"]
    members = _fill_council(council, MEMBERS)
    for round_ in range(ROUNDS):
        person = {  # a different person each round: one achievement is rewarded once
            "kind": "individual",
            "full_name": f"Lăng Thị Hạnh {round_ + 1}",
            "identity_code": f"02019000{round_:04d}",
            "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ.",
        }
        dossier = f.make_dossier_at_council(
            demo["th-hop-thanh"], level="intermediate", nominee_fields=[person]
        )
        (nominee,) = dossier.active_nominees()
        meeting = meeting_with(council, [dossier])
        services.open_meeting(meeting.pk, by=chair_of(council))
        calls = [
            partial(cast, meeting.pk, by=m.user, nominee_id=nominee.pk, choice="agree")
            for m in members
        ]
        calls.append(partial(close, meeting.pk, by=chair_of(council)))
        results = _together(calls)
        outcomes = Counter(results)
        assert outcomes["closed"] == 1
        assert outcomes[True] + outcomes["not_open"] == MEMBERS, outcomes
        counted = NomineeResult.objects.get(nominee=nominee)
        assert counted.agree == outcomes[True]  # every accepted ballot is in the count
        assert BallotReceipt.objects.filter(nominee=nominee).count() == outcomes[True]
