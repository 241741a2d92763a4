"""Thresholds and quorum with exact integers; no database."""

import pytest

from councils.voting import Base, Count, Ratio, Verdict, VoteRule, quorate, tally
from workflow.stage_rules import StageRules

TWO_THIRDS = Ratio(2, 3)


def rule(num, den, *, strict=False, base=Base.ALL_MEMBERS, quorum=TWO_THIRDS) -> VoteRule:
    return VoteRule(threshold=Ratio(num, den, strict), base=Base(base), quorum=quorum)


@pytest.mark.parametrize(
    ("num", "den", "strict", "members", "needed"),
    [
        (7, 10, False, 9, 7),  # 70 % of 9 = 6.3 → 7
        (9, 10, False, 19, 18),  # 90 % of 19 = 17.1 → 18
        (9, 10, False, 20, 18),  # exactly 18
        (9, 10, False, 10, 9),
        (1, 2, True, 9, 5),  # more than half of 9
        (1, 2, True, 10, 6),  # more than half of 10: 5 is only half
        (1, 2, False, 10, 5),  # at least half
        (2, 3, False, 9, 6),
        (2, 3, True, 9, 7),
        (2, 3, False, 20, 14),
    ],
)
@pytest.mark.parametrize("base", [Base.ALL_MEMBERS, Base.PRESENT])
def test_needed_is_the_exact_boundary(num, den, strict, members, needed, base):
    """`members` is the size of the base: the whole council, or those present at a
    council larger by a few absentees (quorum still met)."""
    r = rule(num, den, strict=strict, base=base, quorum=Ratio(1, 2))
    total = members if base == Base.ALL_MEMBERS else members + members // 3
    count = dict(members=total, present=members)
    assert r.threshold.needed(members) == needed
    assert tally(r, Count(**count, agree=needed)).verdict == Verdict.PASSED
    assert tally(r, Count(**count, agree=needed - 1)).verdict == Verdict.FAILED


def test_domain_9_1_ninety_percent_of_twenty_and_nineteen():
    r = rule(9, 10)
    assert tally(r, Count(members=20, present=17, agree=18)).passed  # 17 + 1 written
    assert not tally(r, Count(members=20, present=20, agree=17)).passed
    assert not tally(r, Count(members=19, present=19, agree=17)).passed  # 170 < 171
    assert tally(r, Count(members=19, present=19, agree=18)).passed


def test_domain_9_2_base_present_or_all_members():
    count = Count(members=9, present=6, agree=5, disagree=1)
    assert tally(rule(2, 3, base=Base.PRESENT), count).passed  # 15 >= 12
    assert not tally(rule(2, 3, base=Base.ALL_MEMBERS), count).passed  # 15 < 18
    inquorate = Count(members=9, present=5, agree=5)
    assert tally(rule(2, 3, base=Base.PRESENT), inquorate).verdict == Verdict.INQUORATE


@pytest.mark.parametrize(
    ("present", "members", "quorum", "expected"),
    [
        (6, 9, Ratio(2, 3), True),  # 18 >= 18: a percentage of 66.67 would refuse it
        (5, 9, Ratio(2, 3), False),
        (14, 20, Ratio(2, 3), True),
        (13, 20, Ratio(2, 3), False),
        (5, 10, Ratio(1, 2, strict=True), False),
        (6, 10, Ratio(1, 2, strict=True), True),
        (0, 0, Ratio(2, 3), False),
    ],
)
def test_quorum_boundaries(present, members, quorum, expected):
    r = rule(1, 2, strict=True, quorum=quorum)
    assert quorate(r, present=present, members=members) is expected


def test_valid_ballots_base_counts_only_ballots_cast():
    r = rule(2, 3, base=Base.VALID_BALLOTS)
    assert tally(r, Count(members=9, present=9, agree=4, disagree=2)).passed  # 12 >= 12
    assert not tally(r, Count(members=9, present=9, agree=3, disagree=2)).passed  # 9 < 10


def test_recusal_shrinks_the_base_by_one_for_that_nominee():
    r = rule(1, 2, strict=True)
    # 10 members, one is the nominee: 5 agree is more than half of 9, not of 10.
    assert tally(r, Count(members=10, present=10, agree=5, recused=1, recused_present=1)).passed
    assert not tally(r, Count(members=10, present=10, agree=5)).passed
    present_rule = rule(2, 3, base=Base.PRESENT)
    count = Count(members=9, present=7, agree=4, recused=1, recused_present=1)
    assert tally(present_rule, count).base == 6
    assert tally(present_rule, count).passed  # 12 >= 12


def test_nobody_left_to_vote_never_passes():
    r = rule(1, 2, strict=True, base=Base.VALID_BALLOTS)
    assert tally(r, Count(members=5, present=5, agree=0)).verdict == Verdict.FAILED


def test_rule_is_read_from_the_stage_snapshot():
    snapshot = {
        "threshold": [9, 10, False],
        "threshold_base": "all_members",
        "count_written_votes": True,
        "quorum": [2, 3, False],
        "secret_ballot": True,
    }
    r = VoteRule.from_rules(StageRules.from_snapshot(snapshot))
    assert r.threshold == Ratio(9, 10, False)
    assert r.base == Base.ALL_MEMBERS
    assert r.count_written_votes
    assert r.secret
